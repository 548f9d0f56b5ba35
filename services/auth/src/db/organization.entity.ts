import { defineEntity, p } from '@invoice/platform-db';

/** Postal address parts as stored (every part optional while the profile is being filled in). */
export type StoredAddress = Partial<
  Record<'line1' | 'line2' | 'city' | 'postalCode' | 'region' | 'country', string>
>;
/** Bank account as stored. */
export type StoredBankAccount = Partial<Record<'iban' | 'bic' | 'bankName', string>>;

/** An organization (the original system's company): the seller on its invoices. */
export const Organization = defineEntity({
  name: 'Organization',
  tableName: 'organizations',
  properties: {
    id: p.uuid().primary(),
    name: p.text(),
    legalName: p.text().name('legal_name').nullable(),
    taxId: p.text().name('tax_id').nullable(),
    companyNumber: p.text().name('company_number').nullable(),
    email: p.text().nullable(),
    phone: p.text().nullable(),
    address: p.json<StoredAddress>().nullable(),
    bankAccount: p.json<StoredBankAccount>().name('bank_account').nullable(),
    defaultCurrency: p.text().name('default_currency').nullable(),
    /** New members stay pending until an owner or admin approves them. */
    requireMemberApproval: p.boolean().name('require_member_approval').default(true),
    /** Increases with every change; replicas in other services keep the highest. */
    version: p.integer(),
    createdAt: p
      .datetime()
      .name('created_at')
      .onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .name('updated_at')
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
