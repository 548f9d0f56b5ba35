/** The template registry: payload schema, subject, renderer and secret fields of each template. */
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { invoiceSubject, InvoicePayloadSchema, renderInvoice } from './invoice.template.ts';
import { InvoiceLifecycleTemplates } from './invoice-lifecycle.templates.ts';
import { OneTimeLinkPayloadSchema } from './one-time-link.ts';
import { PASSWORD_RESET_COPY, renderPasswordReset } from './password-reset.template.ts';
import { renderVerifyEmail, VERIFY_EMAIL_COPY } from './verify-email.template.ts';
import { QuoteTemplates } from './quote.template.ts';
import { TeamTemplates } from './team.templates.ts';
import type { RenderedEmail } from './types.ts';

export type { RenderedEmail };

interface TemplateDefinition {
  schema: TSchema;
  // The payload was checked against `schema` before these run.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  subject: (payload: any) => string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  render: (payload: any) => RenderedEmail;
  /** Payload keys that carry secrets (one-time links); dropped once the email is final. */
  secretFields: readonly string[];
  /** Whether the email carries the rendered document of its invoice. */
  attachesDocument: boolean;
}

/** Every template by name. */
export const Templates = {
  'verify-email': {
    schema: OneTimeLinkPayloadSchema,
    subject: () => VERIFY_EMAIL_COPY.subject,
    render: renderVerifyEmail,
    secretFields: ['link'],
    attachesDocument: false,
  },
  'password-reset': {
    schema: OneTimeLinkPayloadSchema,
    subject: () => PASSWORD_RESET_COPY.subject,
    render: renderPasswordReset,
    secretFields: ['link'],
    attachesDocument: false,
  },
  invoice: {
    schema: InvoicePayloadSchema,
    subject: invoiceSubject,
    render: renderInvoice,
    secretFields: [],
    attachesDocument: true,
  },
  ...TeamTemplates,
  ...InvoiceLifecycleTemplates,
  ...QuoteTemplates,
} as const satisfies Record<string, TemplateDefinition>;

/** Payload keys that are secret in any template, dropped from the log once an email is final. */
export const SECRET_FIELDS: readonly string[] = [
  ...new Set(Object.values(Templates as Record<string, TemplateDefinition>).flatMap((t) => t.secretFields)),
];

/** A template name. */
export type TemplateName = keyof typeof Templates;

/** A payload that does not fit its template (can never render; the email fails permanently). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** The definition of a template, or a TemplateError for an unknown name. */
export function templateFor(name: string): TemplateDefinition {
  const definition = (Templates as Record<string, TemplateDefinition>)[name];
  if (!definition) throw new TemplateError(`unknown template ${name}`);
  return definition;
}

/** The definition of the template after checking the payload against its schema. */
function checked(name: string, payload: unknown): TemplateDefinition {
  const definition = templateFor(name);
  if (!Value.Check(definition.schema, payload)) {
    const first = [...Value.Errors(definition.schema, payload)][0];
    throw new TemplateError(
      `payload of ${name} is invalid: ${first?.instancePath ?? ''} ${first?.message ?? ''}`,
    );
  }
  return definition;
}

/** Checks the payload and returns the subject line only (no body is rendered). */
export function emailSubject(name: string, payload: unknown): string {
  return checked(name, payload).subject(payload);
}

/** Checks the payload and renders the template. */
export function renderEmail(name: string, payload: unknown): RenderedEmail {
  return checked(name, payload).render(payload);
}
