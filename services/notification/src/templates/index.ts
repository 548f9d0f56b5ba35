/** The template registry: payload schema, renderer and secret fields of each template. */
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { InvoicePayloadSchema, renderInvoice } from './invoice.template.ts';
import { OneTimeLinkPayloadSchema } from './one-time-link.ts';
import { renderPasswordReset } from './password-reset.template.ts';
import { renderVerifyEmail } from './verify-email.template.ts';
import type { RenderedEmail } from './types.ts';

export type { RenderedEmail };

interface TemplateDefinition {
  schema: TSchema;
  // The payload was checked against `schema` before this runs.
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
    render: renderVerifyEmail,
    secretFields: ['link'],
    attachesDocument: false,
  },
  'password-reset': {
    schema: OneTimeLinkPayloadSchema,
    render: renderPasswordReset,
    secretFields: ['link'],
    attachesDocument: false,
  },
  invoice: { schema: InvoicePayloadSchema, render: renderInvoice, secretFields: [], attachesDocument: true },
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

/** Checks the payload and renders the template. */
export function renderEmail(name: string, payload: unknown): RenderedEmail {
  const definition = templateFor(name);
  if (!Value.Check(definition.schema, payload)) {
    const first = [...Value.Errors(definition.schema, payload)][0];
    throw new TemplateError(
      `payload of ${name} is invalid: ${first?.instancePath ?? ''} ${first?.message ?? ''}`,
    );
  }
  return definition.render(payload);
}
