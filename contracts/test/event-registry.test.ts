import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Compile } from 'typebox/compile';
import {
  createEnvelope,
  EnvelopeAttributesSchema,
  EventDataSchemas,
  eventJsonSchemas,
  isKnownSubject,
  newId,
  streamFor,
  Streams,
  Subjects,
  validateEvent,
} from '../src/index.ts';

const subjects = Object.values(Subjects);

function productDeleted(overrides: Record<string, unknown> = {}) {
  const productId = newId();
  return {
    ...createEnvelope({
      type: Subjects.ProductDeleted,
      source: 'catalog',
      orgId: newId(),
      subject: productId,
      data: { productId },
    }),
    ...overrides,
  };
}

describe('event registry', () => {
  it('has a data schema for every subject, and no schema without a subject', () => {
    assert.deepEqual(Object.keys(EventDataSchemas).sort(), [...subjects].sort());
    for (const subject of subjects) assert.ok(isKnownSubject(subject), subject);
    assert.equal(isKnownSubject('catalog.product.exploded.v1'), false);
  });

  it('names every subject <service>.<…>.v<major> and routes it to its service stream', () => {
    for (const subject of subjects) {
      assert.match(subject, /^[a-z]+(\.[a-z-]+)+\.v[0-9]+$/, subject);
      const stream = streamFor(subject);
      assert.equal(stream.subjects[0], `${subject.split('.')[0]}.>`);
      assert.ok(Object.values(Streams).includes(stream));
    }
  });

  it('accepts every subject as an envelope type', () => {
    const attributes = Compile(EnvelopeAttributesSchema);
    const rejected = subjects.filter((subject) => !attributes.Check({ ...productDeleted(), type: subject }));
    assert.deepEqual(rejected, []);
  });

  it('exports a JSON Schema per subject with $id = subject and the envelope attributes required', () => {
    const schemas = eventJsonSchemas();
    assert.deepEqual(Object.keys(schemas).sort(), [...subjects].sort());
    for (const [subject, schema] of Object.entries(schemas)) {
      const document = schema as {
        $id: string;
        type: string;
        required: string[];
        properties: Record<string, unknown>;
      };
      assert.equal(document.$id, subject);
      assert.equal(document.type, 'object');
      for (const field of ['specversion', 'id', 'type', 'source', 'time', 'orgid', 'subject', 'data']) {
        assert.ok(document.required.includes(field), `${subject} requires ${field}`);
      }
      assert.equal(
        JSON.stringify(document).includes('"~'),
        false,
        'no TypeBox internals leak into the export',
      );
    }
  });

  it('accepts a valid event and names the field of an invalid one', () => {
    assert.deepEqual(validateEvent(Subjects.ProductDeleted, productDeleted()), []);
    const problems = validateEvent(
      Subjects.ProductDeleted,
      productDeleted({ data: { productId: 'not-a-uuid' } }),
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /\/data\/productId/);
    assert.match(validateEvent(Subjects.ProductDeleted, productDeleted({ data: {} }))[0] ?? '', /productId/);
    assert.match(
      validateEvent(Subjects.ProductDeleted, productDeleted({ orgid: 'acme' }))[0] ?? '',
      /\/orgid/,
    );
  });

  it('rejects an event whose type differs from its subject, and unknown subjects', () => {
    assert.deepEqual(validateEvent(Subjects.ClientDeleted, productDeleted()), [
      `type does not match subject ${Subjects.ClientDeleted}`,
    ]);
    assert.deepEqual(validateEvent('catalog.product.exploded.v1', productDeleted()), [
      'unknown event type catalog.product.exploded.v1',
    ]);
    assert.notDeepEqual(validateEvent(Subjects.ProductDeleted, null), []);
  });

  it('ignores unknown fields (additive changes keep the major version)', () => {
    const event = productDeleted();
    const extended = { ...event, extension: 'x', data: { ...event.data, reason: 'discontinued' } };
    assert.deepEqual(validateEvent(Subjects.ProductDeleted, extended), []);
  });
});
