/**
 * The document lifecycle as guarded transitions: a document is `pending` from the moment its row
 * exists (a render job should exist too) until it is `ready` (the file is in S3) or `failed` (its
 * data can never be rendered). Both ends are final: a corrected invoice is a new version, hence a
 * new document. The repositories build their status conditions from what is named here.
 */
import type { DocumentStatus } from '@invoice/contracts';

const TRANSITIONS: Readonly<Record<DocumentStatus, readonly DocumentStatus[]>> = {
  pending: ['ready', 'failed'],
  ready: [],
  failed: [],
};

/** The status every document starts in. */
export const INITIAL_STATUS: DocumentStatus = 'pending';

/** Documents still to be rendered: each must have a render job (what the reconciler pages through). */
export const PENDING_STATES: readonly DocumentStatus[] = ['pending'];

/** Documents whose outcome is settled: nothing renders them again. */
export const FINAL_STATES: readonly DocumentStatus[] = ['ready', 'failed'];

/** True when `from → to` is an allowed transition. */
export function canTransition(from: DocumentStatus, to: DocumentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** A named status change: the statuses a row may be in for it to apply, and the one it ends in. */
export interface DocumentStatusChange {
  readonly from: readonly DocumentStatus[];
  readonly to: DocumentStatus;
}

function change(from: readonly DocumentStatus[], to: DocumentStatus): DocumentStatusChange {
  const illegal = from.find((status) => !canTransition(status, to));
  if (illegal) throw new Error(`document status ${illegal} → ${to} is not in the lifecycle`);
  return { from, to };
}

/** The file is stored: `pending → ready`. */
export const RENDERED = change(PENDING_STATES, 'ready');

/** The data cannot be rendered: `pending → failed`. */
export const RENDER_FAILED = change(PENDING_STATES, 'failed');

/** True when a document in this status still has to be rendered (a job may work on it). */
export function needsRendering(status: DocumentStatus): boolean {
  return PENDING_STATES.includes(status);
}

/** True when the document's error text is its final word (shown to clients only then). */
export function hasFailed(status: DocumentStatus): boolean {
  return status === RENDER_FAILED.to;
}
