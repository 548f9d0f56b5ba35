/**
 * Seller and buyer as frozen into an issued invoice: copies of the organization and client replicas
 * at the moment of issue, so later edits in auth or catalog never change an issued document.
 */
import { AppError, compact, type ClientSnapshot, type Organization, type Party } from '@invoice/contracts';

/** The seller party from the organization; throws SELLER_INCOMPLETE when it has no name. */
export function sellerParty(organization: Organization): Party {
  if (!organization.name?.trim()) {
    throw new AppError('SELLER_INCOMPLETE', {
      detail: 'The organization needs a name before it can issue invoices',
    });
  }
  return {
    name: organization.name,
    ...compact({
      legalName: organization.legalName,
      taxId: organization.taxId,
      companyNumber: organization.companyNumber,
      email: organization.email,
      phone: organization.phone,
      address: organization.address,
      bankAccount: organization.bankAccount,
    }),
  };
}

/** The buyer party from the client (its email falls back to the contact person's). */
export function buyerParty(client: ClientSnapshot): Party {
  return {
    name: client.name,
    ...compact({
      taxId: client.taxId,
      companyNumber: client.companyNumber,
      email: client.email ?? client.contact?.email,
      phone: client.contact?.phone,
      address: client.address,
    }),
  };
}

/** Where an invoice is emailed by default: the client's address, else its contact person's. */
export function defaultRecipient(
  client: ClientSnapshot | undefined,
  buyer: Pick<Party, 'email'> | null,
): string | undefined {
  return client?.email ?? client?.contact?.email ?? buyer?.email ?? undefined;
}
