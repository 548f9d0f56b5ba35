/**
 * The closed set of application errors. Every service throws {@link AppError} with one of these
 * codes; `packages/http` maps the kind to an HTTP status in exactly one place (RFC 9457 problem+json).
 */

/** How an error maps to HTTP: invalid → 400/422, not_found → 404, conflict → 409, ... */
export type ErrorKind =
  | 'invalid'
  | 'unprocessable'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'precondition'
  | 'precondition_required'
  | 'too_large'
  | 'unsupported_media_type'
  | 'uri_too_long'
  | 'headers_too_large'
  | 'request_timeout'
  | 'too_many'
  | 'unavailable'
  | 'internal';

/** Every stable error code with its kind and default title. */
export const ErrorCodes = {
  VALIDATION_FAILED: { kind: 'invalid', title: 'The request is not valid' },
  MALFORMED_REQUEST: { kind: 'invalid', title: 'The request body could not be parsed' },
  PAYLOAD_TOO_LARGE: { kind: 'too_large', title: 'The request body is too large' },
  MALFORMED_URL: { kind: 'invalid', title: 'The request URL is not valid' },
  URI_TOO_LONG: { kind: 'uri_too_long', title: 'A part of the request URL is too long' },
  HEADERS_TOO_LARGE: { kind: 'headers_too_large', title: 'The request headers are too large' },
  REQUEST_TIMEOUT: { kind: 'request_timeout', title: 'The request was not received in time' },
  DOCUMENT_TOO_LARGE: {
    kind: 'unprocessable',
    title: 'The document is too large to publish (too many or too long lines)',
  },
  UNAUTHENTICATED: { kind: 'unauthorized', title: 'Authentication is required' },
  INVALID_CREDENTIALS: { kind: 'unauthorized', title: 'The email or password is not correct' },
  EMAIL_NOT_VERIFIED: { kind: 'forbidden', title: 'The email address is not verified yet' },
  FORBIDDEN: { kind: 'forbidden', title: 'You do not have permission to do this' },
  NOT_FOUND: { kind: 'not_found', title: 'The resource does not exist' },
  ROUTE_NOT_FOUND: { kind: 'not_found', title: 'No such route' },
  EMAIL_TAKEN: { kind: 'conflict', title: 'An account with this email already exists' },
  SKU_TAKEN: { kind: 'conflict', title: 'A product with this SKU already exists' },
  TOKEN_INVALID: { kind: 'invalid', title: 'The token is invalid or has expired' },
  IDEMPOTENCY_KEY_REUSED: {
    kind: 'unprocessable',
    title: 'The Idempotency-Key was used with another request',
  },
  IDEMPOTENCY_KEY_IN_FLIGHT: {
    kind: 'conflict',
    title: 'A request with this Idempotency-Key is in progress',
  },
  PRECONDITION_FAILED: { kind: 'precondition', title: 'The resource has changed (If-Match did not match)' },
  PRECONDITION_REQUIRED: {
    kind: 'precondition_required',
    title: 'This change needs an If-Match header naming the current ETag',
  },
  INVOICE_NOT_DRAFT: { kind: 'conflict', title: 'Only a draft invoice can be changed this way' },
  INVOICE_NOT_ISSUED: { kind: 'conflict', title: 'The invoice is not issued yet' },
  // Quote lifecycle: each refused transition has its own code.
  QUOTE_NOT_DRAFT: { kind: 'conflict', title: 'Only a draft quote can be changed this way' },
  QUOTE_NOT_SENT: { kind: 'conflict', title: 'Only a sent quote can be accepted or declined' },
  QUOTE_EXPIRED: { kind: 'conflict', title: 'The quote has expired' },
  QUOTE_NOT_ACCEPTED: { kind: 'conflict', title: 'Only an accepted quote can be converted' },
  QUOTE_ALREADY_CONVERTED: { kind: 'conflict', title: 'The quote was already converted into an invoice' },
  CLIENT_NOT_FOUND: { kind: 'unprocessable', title: 'The client does not exist' },
  CLIENT_ARCHIVED: {
    kind: 'unprocessable',
    title: 'The client is archived: unarchive it to invoice it again',
  },
  PRODUCT_NOT_FOUND: { kind: 'unprocessable', title: 'The product does not exist' },
  SELLER_INCOMPLETE: { kind: 'unprocessable', title: 'The organization profile is incomplete' },
  DOCUMENT_RENDER_FAILED: { kind: 'conflict', title: 'The document could not be rendered' },
  DOCUMENT_NOT_READY: { kind: 'conflict', title: 'The document is still being rendered' },
  // Money and tax engine (EN 16931); `errors[].field` names the failing field.
  EMPTY_LINES: { kind: 'unprocessable', title: 'A document needs at least one line' },
  UNKNOWN_CURRENCY: { kind: 'unprocessable', title: 'The currency is not an ISO 4217 code' },
  CURRENCY_MISMATCH: { kind: 'unprocessable', title: 'All amounts of a document must be in one currency' },
  VAT_RATE_REQUIRED: { kind: 'unprocessable', title: 'The VAT category needs a rate' },
  VAT_RATE_NOT_ALLOWED: { kind: 'unprocessable', title: 'The VAT category does not allow a rate' },
  VAT_EXEMPTION_REASON_REQUIRED: {
    kind: 'unprocessable',
    title: 'The VAT category needs an exemption reason',
  },
  ALLOWANCE_EXCEEDS_BASE: { kind: 'unprocessable', title: 'The allowance is larger than its base' },
  TOO_MANY_DECIMALS: { kind: 'unprocessable', title: 'The amount has more decimals than allowed' },
  AMOUNT_OUT_OF_RANGE: { kind: 'unprocessable', title: 'The amount is outside the supported range' },
  INVALID_AMOUNT: { kind: 'unprocessable', title: 'The value is not a decimal number' },
  // Invoice lifecycle (payments, refunds, void, credit notes): each refused transition has its own code.
  INVOICE_VOIDED: { kind: 'conflict', title: 'The invoice is void' },
  INVOICE_ALREADY_PAID: { kind: 'conflict', title: 'The invoice is already paid in full' },
  OVERPAYMENT: {
    kind: 'unprocessable',
    title: 'The payment is larger than the amount due (allow a credit balance to accept it)',
  },
  PAYMENT_ALREADY_REVERSED: { kind: 'conflict', title: 'The payment is already reversed' },
  PAYMENT_HAS_REFUNDS: { kind: 'conflict', title: 'A payment with refunds cannot be reversed' },
  REFUND_EXCEEDS_PAYMENT: {
    kind: 'unprocessable',
    title: 'The refund is larger than what remains of the payment',
  },
  INVOICE_HAS_PAYMENTS: {
    kind: 'conflict',
    title: 'An invoice with payments cannot be voided; issue a credit note instead',
  },
  INVOICE_HAS_CREDIT_NOTES: {
    kind: 'conflict',
    title: 'An invoice with credit notes cannot be voided; credit the rest instead',
  },
  // Members and invitations.
  LAST_OWNER: { kind: 'conflict', title: 'The organization must keep at least one active owner' },
  ALREADY_MEMBER: { kind: 'conflict', title: 'This person is already a member of the organization' },
  MEMBERSHIP_PENDING: { kind: 'forbidden', title: 'The membership waits for approval by an admin' },
  // HTTP conventions (RFC 9110 §15.5.6, §15.5.16).
  METHOD_NOT_ALLOWED: { kind: 'method_not_allowed', title: 'The resource does not support this method' },
  UNSUPPORTED_MEDIA_TYPE: {
    kind: 'unsupported_media_type',
    title: 'The request body has a content type this operation does not accept',
  },
  CREDIT_EXCEEDS_CREDITABLE: {
    kind: 'unprocessable',
    title: 'The credit note is larger than what remains creditable on the invoice',
  },
  NOTHING_TO_CREDIT: { kind: 'conflict', title: 'The invoice is already credited in full' },
  ALLOWANCE_AMOUNT_MISMATCH: {
    kind: 'unprocessable',
    title: 'The allowance or charge amount does not agree with its base and percent',
  },
  // Catalog categories and attribute definitions.
  CATEGORY_CYCLE: { kind: 'conflict', title: 'A category cannot move under itself or its descendants' },
  CATEGORY_NOT_EMPTY: {
    kind: 'conflict',
    title: 'The category has products or subcategories; say where they go (productsTo, childrenTo)',
  },
  ATTRIBUTE_DEFINITION_CONFLICT: {
    kind: 'conflict',
    title: 'Existing products do not satisfy the changed attribute definitions',
  },
  ATTRIBUTE_INVALID: { kind: 'invalid', title: "An attribute does not match its category's definition" },
  NUMBER_TAKEN: {
    kind: 'conflict',
    title: 'The number series gave a number that is already used; change the series pattern',
  },
  // Spreadsheet imports.
  IMPORT_STATE_CONFLICT: { kind: 'conflict', title: 'The import is not in a state that allows this' },
  // Recurring invoices.
  RECURRING_NOT_ACTIVE: { kind: 'conflict', title: 'Only an active recurring invoice can be paused' },
  RECURRING_NOT_PAUSED: { kind: 'conflict', title: 'Only a paused recurring invoice can be resumed' },
  RECURRING_COMPLETED: { kind: 'conflict', title: 'The recurring invoice has reached its end' },
  RECURRING_SCHEDULE_STARTED: {
    kind: 'conflict',
    title: 'The schedule has occurrences; only its end (endAfterCount, endDate) can change',
  },
  RATE_LIMITED: { kind: 'too_many', title: 'Too many requests' },
  SERVICE_UNAVAILABLE: { kind: 'unavailable', title: 'A dependency is unavailable' },
  INTERNAL: { kind: 'internal', title: 'Internal error' },
} as const satisfies Record<string, { kind: ErrorKind; title: string }>;

/** A stable error code. */
export type ErrorCode = keyof typeof ErrorCodes;

/** Where in the request a failing field is (OpenAPI's parameter locations, and the body). */
export type FieldLocation = 'body' | 'query' | 'path' | 'header';

/**
 * One failing field: a JSON pointer into its part of the request (`/lines/2/vatRate`), where that
 * part is (`in`, `body` when omitted) and a message. A `field` written `querystring:/cursor` (the
 * part, a colon, the pointer) is read as `in: 'query'`, `field: '/cursor'` when answered.
 */
export interface FieldError {
  field: string;
  in?: FieldLocation;
  message: string;
  code?: ErrorCode;
}

/** The one application error type; thrown by domain and application code, mapped to HTTP once. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldError[];
  readonly detail: string | undefined;

  constructor(code: ErrorCode, options: { detail?: string; errors?: FieldError[]; cause?: unknown } = {}) {
    super(options.detail ?? ErrorCodes[code].title, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.detail = options.detail;
    this.errors = options.errors ?? [];
  }

  /** The kind that decides the HTTP status. */
  get kind(): ErrorKind {
    return ErrorCodes[this.code].kind;
  }

  /** A validation-style error about one field. */
  static field(code: ErrorCode, field: string, message: string): AppError {
    return new AppError(code, { detail: message, errors: [{ field, message, code }] });
  }
}

/** HTTP status for each error kind (the single mapping point used by packages/http). */
export const statusForKind: Record<ErrorKind, number> = {
  invalid: 400,
  unprocessable: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  precondition: 412,
  precondition_required: 428,
  too_large: 413,
  unsupported_media_type: 415,
  uri_too_long: 414,
  headers_too_large: 431,
  request_timeout: 408,
  too_many: 429,
  unavailable: 503,
  internal: 500,
};
