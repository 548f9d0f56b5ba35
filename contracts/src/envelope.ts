/**
 * The event envelope: CloudEvents 1.0 attribute names in JSON. The NATS subject equals `type`
 * (`<service>.<aggregate>.<event>.v<major>`); `id` is a UUIDv7 and doubles as the JetStream msgID.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { v7 as uuidv7 } from 'uuid';

/** Envelope attributes without `data`. */
export const EnvelopeAttributesSchema = Type.Object({
  specversion: Type.Literal('1.0'),
  id: Type.String({ format: 'uuid' }),
  type: Type.String({ pattern: '^[a-z]+(\\.[a-z-]+){1,2}\\.v[0-9]+$' }),
  source: Type.String({ minLength: 1 }),
  time: Type.String({ format: 'date-time' }),
  orgid: Type.String({ format: 'uuid' }),
  subject: Type.String({ minLength: 1, description: 'Aggregate id the event is about' }),
  traceparent: Type.Optional(Type.String()),
  datacontenttype: Type.Literal('application/json'),
});

/** The envelope around an event's data schema. Unknown fields are ignored by consumers. */
export const EnvelopeSchema = <T extends TSchema>(data: T) =>
  Type.Object({ ...EnvelopeAttributesSchema.properties, data });

/** An envelope with typed data. */
export type EventEnvelope<T = unknown> = Static<typeof EnvelopeAttributesSchema> & { data: T };

/** Builds an envelope with a fresh UUIDv7 id and the current time. */
export function createEnvelope<T>(input: {
  type: string;
  source: string;
  orgId: string;
  subject: string;
  data: T;
  traceparent?: string;
  id?: string;
  time?: Date;
}): EventEnvelope<T> {
  return {
    specversion: '1.0',
    id: input.id ?? uuidv7(),
    type: input.type,
    source: input.source,
    time: (input.time ?? new Date()).toISOString(),
    orgid: input.orgId,
    subject: input.subject,
    ...(input.traceparent ? { traceparent: input.traceparent } : {}),
    datacontenttype: 'application/json',
    data: input.data,
  };
}

/** A new UUIDv7 (time-ordered), used for event ids and primary keys. */
export const newId = (): string => uuidv7();
