/**
 * Request/reply contracts (`rpc.<service>.…`): what each request carries and what its reply is.
 * Callers use them when a replica has not caught up (DESIGN §5.2); a missing, deleted or other
 * organization's item is `null`. A refused request is answered `{ error: { code, message } }`.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { IdSchema } from './primitives.ts';
import { ClientSnapshotSchema, ProductSnapshotSchema } from './events/catalog.ts';
import { OrganizationSchema } from './events/auth.ts';
import { InvoiceSnapshotSchema } from './events/invoicing.ts';
import { RpcSubjects } from './subjects.ts';

/** `rpc.catalog.client.get` */
export const ClientGetRequestSchema = Type.Object({ orgId: IdSchema, clientId: IdSchema });
export const ClientGetReplySchema = Type.Object({ client: Type.Union([ClientSnapshotSchema, Type.Null()]) });

/** `rpc.catalog.product.get` */
export const ProductGetRequestSchema = Type.Object({ orgId: IdSchema, productId: IdSchema });
export const ProductGetReplySchema = Type.Object({
  product: Type.Union([ProductSnapshotSchema, Type.Null()]),
});

/** `rpc.auth.organization.get` */
export const OrganizationGetRequestSchema = Type.Object({ organizationId: IdSchema });
export const OrganizationGetReplySchema = Type.Object({
  organization: Type.Union([OrganizationSchema, Type.Null()]),
});

/**
 * `rpc.invoicing.invoice.preview`: a draft as a snapshot to render (number `DRAFT`, status `draft`),
 * null when the organization has no such invoice; an issued one is refused (INVOICE_NOT_DRAFT).
 */
export const InvoicePreviewRequestSchema = Type.Object({ orgId: IdSchema, invoiceId: IdSchema });
export const InvoicePreviewReplySchema = Type.Object({
  invoice: Type.Union([InvoiceSnapshotSchema, Type.Null()]),
});

export type ClientGetRequest = Static<typeof ClientGetRequestSchema>;
export type ClientGetReply = Static<typeof ClientGetReplySchema>;
export type ProductGetRequest = Static<typeof ProductGetRequestSchema>;
export type ProductGetReply = Static<typeof ProductGetReplySchema>;
export type OrganizationGetRequest = Static<typeof OrganizationGetRequestSchema>;
export type OrganizationGetReply = Static<typeof OrganizationGetReplySchema>;
export type InvoicePreviewRequest = Static<typeof InvoicePreviewRequestSchema>;
export type InvoicePreviewReply = Static<typeof InvoicePreviewReplySchema>;

/** Request and reply schema of every RPC subject. */
export const RpcContracts = {
  [RpcSubjects.CatalogClientGet]: { request: ClientGetRequestSchema, reply: ClientGetReplySchema },
  [RpcSubjects.CatalogProductGet]: { request: ProductGetRequestSchema, reply: ProductGetReplySchema },
  [RpcSubjects.AuthOrganizationGet]: {
    request: OrganizationGetRequestSchema,
    reply: OrganizationGetReplySchema,
  },
  [RpcSubjects.InvoicingInvoicePreview]: {
    request: InvoicePreviewRequestSchema,
    reply: InvoicePreviewReplySchema,
  },
} as const satisfies Record<string, { request: TSchema; reply: TSchema }>;

/** An RPC subject. */
export type RpcSubject = keyof typeof RpcContracts;
