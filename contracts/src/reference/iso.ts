/**
 * Reference code lists shared by every service: ISO 4217 currencies with their minor units and
 * ISO 3166-1 alpha-2 countries. The original system stored a currency typo ("gpb") and free-text
 * countries; input is checked against these lists, not only against a pattern.
 *
 * ISO 4217: list one (SIX, 2025 amendments: XCG replaces ANG, ZWG replaces ZWL). Codes whose minor
 * unit is "N.A." (precious metals, XDR, test codes) are left out: an invoice cannot be priced in them.
 * ISO 3166-1: the 249 officially assigned alpha-2 codes.
 */

const ZERO_DECIMALS = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const THREE_DECIMALS = 'BHD IQD JOD KWD LYD OMR TND';
const FOUR_DECIMALS = 'CLF UYW';
const TWO_DECIMALS =
  'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD ' +
  'CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD ' +
  'GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA ' +
  'MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR ' +
  'RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD ' +
  'TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG';

/** ISO 4217 minor unit (decimals of an amount) of every active currency. */
export const CURRENCY_MINOR_UNITS: ReadonlyMap<string, number> = new Map(
  (
    [
      [ZERO_DECIMALS, 0],
      [TWO_DECIMALS, 2],
      [THREE_DECIMALS, 3],
      [FOUR_DECIMALS, 4],
    ] as const
  ).flatMap(([codes, digits]) => codes.split(' ').map((code) => [code, digits] as const)),
);

const COUNTRIES =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT ' +
  'BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ' +
  'ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT ' +
  'HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS ' +
  'LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI ' +
  'NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG ' +
  'SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
  'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW';

/** Assigned ISO 3166-1 alpha-2 codes, sorted. */
export const COUNTRY_CODES: readonly string[] = COUNTRIES.split(' ').sort();
const COUNTRY_SET: ReadonlySet<string> = new Set(COUNTRY_CODES);

/** Active ISO 4217 codes, sorted. */
export const CURRENCY_CODES: readonly string[] = [...CURRENCY_MINOR_UNITS.keys()].sort();

/** True for an active ISO 4217 code with a minor unit (upper case). */
export function isCurrencyCode(code: string): boolean {
  return CURRENCY_MINOR_UNITS.has(code);
}

/** True for an assigned ISO 3166-1 alpha-2 code (upper case). */
export function isCountryCode(code: string): boolean {
  return COUNTRY_SET.has(code);
}
