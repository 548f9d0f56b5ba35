/**
 * Writes the event contracts for consumers outside this repo: `contracts/json-schema/<subject>.json`
 * (JSON Schema 2020-12 of each event envelope, `$id` = subject) and `asyncapi.json` (AsyncAPI 3.0:
 * one channel per subject, message payloads referencing those files). Run: `npm run contracts:export`.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventJsonSchemas, Subjects } from '../src/index.ts';
import { asyncApiDocument } from './asyncapi.ts';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../json-schema');

interface EnvelopeJsonSchema {
  properties: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * The file of one event: `$schema` and `$id` first, and `type` pinned to the subject (the registry's
 * `validateEvent` enforces that too; the shared envelope schema only has the subject pattern).
 */
export function exportedSchema(subject: string, schema: EnvelopeJsonSchema): Record<string, unknown> {
  const { $id, title, ...rest } = schema;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id,
    title,
    ...rest,
    properties: { ...schema.properties, type: { type: 'string', const: subject } },
  };
}

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  // Remove files of subjects that no longer exist, so the folder mirrors the registry.
  for (const file of await readdir(outDir)) if (file.endsWith('.json')) await rm(path.join(outDir, file));
  const schemas = eventJsonSchemas();
  for (const [subject, schema] of Object.entries(schemas)) {
    const document = exportedSchema(subject, schema as EnvelopeJsonSchema);
    await writeFile(path.join(outDir, `${subject}.json`), `${JSON.stringify(document, null, 2)}\n`);
  }
  await writeFile(
    path.join(outDir, 'asyncapi.json'),
    `${JSON.stringify(asyncApiDocument(Object.values(Subjects)), null, 2)}\n`,
  );
  console.error(`wrote ${Object.keys(schemas).length} event schemas and asyncapi.json to ${outDir}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
