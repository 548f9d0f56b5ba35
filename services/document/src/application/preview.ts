/**
 * The draft preview: invoicing is asked for the draft as a snapshot (request/reply, so the draft's
 * data never has to be replicated here), which is rendered at once, stamped DRAFT. Nothing is stored:
 * no S3 object, no document row.
 */
import {
  AppError,
  ErrorCodes,
  RpcSubjects,
  type ErrorCode,
  type InvoicePreviewReply,
  type InvoicePreviewRequest,
} from '@invoice/contracts';
import type { Deps } from '../deps.ts';
import { maySee, type Caller } from './documents.ts';
import { renderInvoicePdf } from '../render/invoice-pdf.ts';

/** How long the preview waits for invoicing. */
const PREVIEW_TIMEOUT_MS = 3_000;

type Reply = InvoicePreviewReply | { error: { code: string; message: string } };

/** The invoicing answer, or the AppError it stands for (SERVICE_UNAVAILABLE when none came). */
async function askInvoicing(
  deps: Pick<Deps, 'bus'>,
  request: InvoicePreviewRequest,
): Promise<InvoicePreviewReply> {
  let reply: Reply;
  try {
    reply = await deps.bus.request<Reply>(RpcSubjects.InvoicingInvoicePreview, request, PREVIEW_TIMEOUT_MS);
  } catch (error) {
    throw new AppError('SERVICE_UNAVAILABLE', {
      detail: 'The invoicing service did not answer',
      cause: error,
    });
  }
  if ('error' in reply) {
    const code = (reply.error.code in ErrorCodes ? reply.error.code : 'INTERNAL') as ErrorCode;
    throw new AppError(code, { detail: reply.error.message });
  }
  return reply;
}

/** The PDF of the organization's draft, watermarked DRAFT. */
export async function draftPreviewPdf(
  deps: Pick<Deps, 'bus'>,
  caller: Caller,
  invoiceId: string,
): Promise<Buffer> {
  const { invoice } = await askInvoicing(deps, { orgId: caller.orgId, invoiceId });
  if (!invoice || !maySee(caller, invoice.createdBy))
    throw new AppError('NOT_FOUND', { detail: 'No such invoice' });
  return renderInvoicePdf({ ...invoice, status: 'draft' });
}
