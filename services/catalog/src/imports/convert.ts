/**
 * Turns one spreadsheet row into a product's fields by the sheet's column mapping, converting each
 * cell by its target's type: decimals (prices of any size, `1.234,56` when the run says the decimal
 * separator is a comma, never through a float), Excel serial dates and date-formatted cells, texts
 * written as dates (YYYY-MM-DD, or day/month order as the run says), booleans, enum options. The
 * result is checked by the product contract and the category's attribute definitions, so an
 * imported product obeys exactly what `POST /v1/products` obeys. Every problem names its column.
 */
import {
  AppError,
  CURRENCY_MINOR_UNITS,
  ProductCreateSchema,
  type AttributeDefinition,
} from '@invoice/contracts';
import { Compile } from 'typebox/compile';
import { checkAttributes, isIsoDate } from '../domain/attributes.ts';
import { normalizeProduct, type ProductFields } from '../domain/product.rules.ts';
import { columnIndex } from './analysis.ts';
import type { ColumnMapping, ImportPlan, PlannedSheet, ProductField } from './model.ts';
import type { CellValue } from './rows.ts';

const productValidator = Compile(ProductCreateSchema);

/** A problem of a row, at a column when one is at fault. */
export interface RowProblem {
  column?: string;
  message: string;
}

/** What one row converts to: the fields of a product, or its problems. */
export type Converted =
  { fields: ProductFields; problems?: undefined } | { fields?: undefined; problems: RowProblem[] };

interface CompiledColumn {
  index: number;
  letter: string;
  mapping: Exclude<ColumnMapping, { target: 'ignore' }>;
}

/** A sheet's mapping compiled once for all its rows. */
export class RowConverter {
  private readonly columns: CompiledColumn[];
  private readonly fieldColumn = new Map<string, string>();

  private readonly sheet: PlannedSheet;
  private readonly plan: ImportPlan;
  private readonly definitions: readonly AttributeDefinition[];

  constructor(sheet: PlannedSheet, plan: ImportPlan, definitions: readonly AttributeDefinition[]) {
    this.sheet = sheet;
    this.plan = plan;
    this.definitions = definitions;
    this.columns = sheet.columns.flatMap((mapping) =>
      mapping.target === 'ignore'
        ? []
        : [{ index: columnIndex(mapping.column), letter: mapping.column, mapping }],
    );
    for (const { letter, mapping } of this.columns) {
      this.fieldColumn.set(
        mapping.target === 'attribute' ? `/attributes/${mapping.attribute.key}` : `/${mapping.target}`,
        letter,
      );
    }
  }

  /** The product fields of a row, or every problem it has. */
  convert(cells: readonly CellValue[]): Converted {
    const problems: RowProblem[] = [];
    const body: Record<string, unknown> = {};
    const attributes: Record<string, string | number | boolean> = {};
    for (const { index, letter, mapping } of this.columns) {
      const cell = cells[index] ?? null;
      if (isBlank(cell)) continue;
      try {
        if (mapping.target === 'attribute') {
          attributes[mapping.attribute.key] = attributeValue(cell!, mapping.attribute.type, this.plan);
        } else {
          body[mapping.target] = fieldValue(cell!, mapping.target, this.plan);
        }
      } catch (error) {
        problems.push({ column: letter, message: (error as Error).message });
      }
    }
    if (body.currency === undefined && this.plan.defaultCurrency) body.currency = this.plan.defaultCurrency;
    if (problems.length > 0) return { problems };
    for (const field of ['name', 'unitPrice', 'currency'] as const) {
      if (body[field] === undefined) {
        const column = this.fieldColumn.get(`/${field}`);
        problems.push({ ...(column ? { column } : {}), message: `${field} is required` });
      }
    }
    if (problems.length > 0) return { problems };
    body.attributes = attributes;
    body.categoryId = this.sheet.categoryId;
    if (!productValidator.Check(body)) {
      for (const error of productValidator.Errors(body)) {
        const path = error.instancePath || '/';
        const key = path.startsWith('/attributes/') ? path.split('/').slice(0, 3).join('/') : path;
        const column = this.fieldColumn.get(key);
        problems.push({
          ...(column ? { column } : {}),
          message: `${path.slice(1) || 'row'} ${error.message}`,
        });
      }
      return { problems: dedupe(problems) };
    }
    const currency = body.currency as string;
    if (!CURRENCY_MINOR_UNITS.has(currency)) {
      const column = this.fieldColumn.get('/currency');
      return {
        problems: [
          { ...(column ? { column } : {}), message: `currency ${currency} is not an ISO 4217 code` },
        ],
      };
    }
    const fields = normalizeProduct(body as unknown as ProductFields);
    const attributeErrors = checkAttributes(fields.attributes, this.definitions);
    if (attributeErrors.length > 0) {
      return {
        problems: attributeErrors.map((error) => {
          const column = this.fieldColumn.get(error.field);
          return {
            ...(column ? { column } : {}),
            message: `${error.field.slice('/attributes/'.length)} ${error.message}`,
          };
        }),
      };
    }
    return { fields };
  }
}

function dedupe(problems: RowProblem[]): RowProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.column}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isBlank(cell: CellValue): boolean {
  return cell === null || (typeof cell === 'string' && cell.trim() === '');
}

function text(cell: Exclude<CellValue, null>): string {
  if (cell instanceof Date) return isoDate(cell);
  return String(cell).trim();
}

function fieldValue(cell: Exclude<CellValue, null>, target: ProductField, plan: ImportPlan): string {
  switch (target) {
    case 'unitPrice': {
      const value = decimalOf(cell, plan.decimalSeparator);
      if (value.startsWith('-')) throw new Error('must not be negative');
      return value;
    }
    case 'vatRate':
      return decimalOf(cell, plan.decimalSeparator).replace(/%$/, '');
    case 'currency':
      return text(cell).toUpperCase();
    case 'unitCode':
      return text(cell).toUpperCase();
    default:
      return text(cell);
  }
}

function attributeValue(
  cell: Exclude<CellValue, null>,
  type: AttributeDefinition['type'],
  plan: ImportPlan,
): string | number | boolean {
  switch (type) {
    case 'number': {
      if (typeof cell === 'number') return cell;
      const value = Number(decimalOf(cell, plan.decimalSeparator));
      if (!Number.isFinite(value)) throw new Error('is not a number');
      return value;
    }
    case 'decimal':
      return decimalOf(cell, plan.decimalSeparator);
    case 'date':
      return dateOf(cell, plan.dateOrder);
    case 'boolean':
      return booleanOf(cell);
    default:
      return text(cell);
  }
}

/**
 * A decimal string from a number cell (through its shortest round-trip text, never arithmetic) or a
 * text: thousands separators and spaces dropped, the decimal separator made a dot.
 */
export function decimalOf(cell: Exclude<CellValue, null>, separator: '.' | ','): string {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw new Error('is not a number');
    return plainNumber(cell);
  }
  if (typeof cell !== 'string') throw new Error('is not a number');
  let value = cell.trim().replace(/[\s\u00a0\u202f']/g, '');
  const percent = value.endsWith('%');
  if (percent) value = value.slice(0, -1);
  const thousands = separator === '.' ? ',' : '.';
  const grouped = new RegExp(`^[-+]?\\d{1,3}(\\${thousands}\\d{3})+(\\${separator}\\d+)?$`);
  if (grouped.test(value)) value = value.split(thousands).join('');
  if (separator === ',') value = value.replace(',', '.');
  if (!/^[-+]?(\d+)(\.\d+)?$/.test(value)) throw new Error(`"${cell.slice(0, 40)}" is not a number`);
  value = value.replace(/^\+/, '');
  const negative = value.startsWith('-');
  const [int, frac] = value.replace('-', '').split('.') as [string, string | undefined];
  const integer = int.replace(/^0+(?=\d)/, '');
  const fraction = (frac ?? '').replace(/0+$/, '');
  const result = fraction ? `${integer}.${fraction}` : integer;
  return negative && result !== '0' ? `-${result}` : result;
}

/** A number's decimal text without exponent (1e21 → "1000000000000000000000"). */
function plainNumber(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  const [mantissa, exponentText] = text.toLowerCase().split('e') as [string, string];
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const [int, frac = ''] = mantissa.replace('-', '').split('.') as [string, string?];
  const digits = int + frac;
  const point = int.length + exponent;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + out;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** An Excel serial day (1900 system, with its phantom 29 Feb 1900) as a date. */
export function excelSerialDate(serial: number): string {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) throw new Error('is not a date');
  const days = Math.floor(serial) - (serial >= 61 ? 25569 : 25568);
  return isoDate(new Date(days * 86_400_000));
}

function dateOf(cell: Exclude<CellValue, null>, order: 'DMY' | 'MDY'): string {
  if (cell instanceof Date) return isoDate(cell);
  if (typeof cell === 'number') return excelSerialDate(cell);
  if (typeof cell !== 'string') throw new Error('is not a date');
  const value = cell.trim();
  if (isIsoDate(value)) return value;
  const match = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(value);
  if (match) {
    const [a, b, year] = [match[1]!, match[2]!, match[3]!];
    const [day, month] = order === 'DMY' ? [a, b] : [b, a];
    const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
    if (isIsoDate(iso)) return iso;
  }
  if (/^\d+(\.\d+)?$/.test(value)) return excelSerialDate(Number(value));
  throw new Error(`"${value.slice(0, 40)}" is not a date`);
}

function booleanOf(cell: Exclude<CellValue, null>): boolean {
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'number' && (cell === 0 || cell === 1)) return cell === 1;
  const value = text(cell).toLowerCase();
  if (['true', 'yes', 'y', '1', 'ja', 'tak', 'oui', 'x'].includes(value)) return true;
  if (['false', 'no', 'n', '0', 'nein', 'nie', 'non'].includes(value)) return false;
  throw new Error(`"${value.slice(0, 40)}" is not true or false`);
}

/** A mapping problem found before the run (400 naming the body field). */
export function mappingError(field: string, message: string): AppError {
  return AppError.field('VALIDATION_FAILED', field, message);
}
