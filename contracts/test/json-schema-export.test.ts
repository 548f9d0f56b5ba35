import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { Compile } from 'typebox/compile';
import { asyncApiDocument } from '../scripts/asyncapi.ts';
import { exportedSchema } from '../scripts/export-json-schema.ts';
import { createEnvelope, eventJsonSchemas, newId, Subjects } from '../src/index.ts';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../json-schema');
const subjects = Object.values(Subjects);
const readJson = async (file: string) =>
  JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Record<string, unknown>;
const STALE = 'contracts/json-schema is stale: run `npm run contracts:export` and commit it';

describe('exported event contracts (contracts/json-schema)', () => {
  it('has one committed schema file per subject, matching the registry', async () => {
    const files = (await readdir(dir)).filter((file) => file !== 'asyncapi.json').sort();
    assert.deepEqual(files, subjects.map((subject) => `${subject}.json`).sort(), STALE);
    const schemas = eventJsonSchemas();
    for (const subject of subjects) {
      const expected = exportedSchema(subject, schemas[subject] as Parameters<typeof exportedSchema>[1]);
      assert.deepEqual(
        await readJson(`${subject}.json`),
        JSON.parse(JSON.stringify(expected)),
        `${subject}: ${STALE}`,
      );
    }
  });

  it('validates events as plain JSON Schema, pinning type to the subject', async () => {
    const schema = await readJson(`${Subjects.ProductDeleted}.json`);
    assert.equal(schema.$id, Subjects.ProductDeleted);
    const validator = Compile(schema as never);
    const productId = newId();
    const event = createEnvelope({
      type: Subjects.ProductDeleted,
      source: 'catalog',
      orgId: newId(),
      subject: productId,
      data: { productId },
    });
    assert.equal(validator.Check(JSON.parse(JSON.stringify(event))), true);
    assert.equal(validator.Check({ ...event, data: {} }), false);
    assert.equal(validator.Check({ ...event, type: Subjects.ClientDeleted }), false);
  });

  it('has an AsyncAPI 3.0 document with a channel and a message per subject', async () => {
    const document = (await readJson('asyncapi.json')) as {
      asyncapi: string;
      channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
      operations: Record<string, { action: string; channel: { $ref: string } }>;
      components: { messages: Record<string, { payload: { $ref: string }; contentType: string }> };
    };
    assert.deepEqual(document, JSON.parse(JSON.stringify(asyncApiDocument(subjects))), STALE);
    assert.equal(document.asyncapi, '3.0.0');
    assert.deepEqual(Object.keys(document.channels).sort(), [...subjects].sort());
    for (const subject of subjects) {
      const channel = document.channels[subject]!;
      assert.equal(channel.address, subject);
      const refs = Object.values(channel.messages).map((message) => message.$ref);
      assert.equal(refs.length, 1);
      const message = document.components.messages[refs[0]!.replace('#/components/messages/', '')];
      assert.equal(message?.contentType, 'application/json');
      assert.equal(message?.payload.$ref, `./${subject}.json`);
      const payload = await readJson(message.payload.$ref);
      assert.equal(payload.$id, subject, 'the payload reference resolves to the subject schema');
    }
    for (const operation of Object.values(document.operations)) {
      assert.equal(operation.action, 'send');
      assert.ok(document.channels[operation.channel.$ref.replace('#/channels/', '')]);
    }
  });
});
