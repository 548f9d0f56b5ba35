import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { infrastructure } from './infrastructure.ts';

/** A throw-away database for one test file. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates a fresh, empty database (so test files never see each other's rows). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { databaseUrl } = await infrastructure();
  const name = `test_${randomBytes(6).toString('hex')}`;
  await adminQuery(databaseUrl, `create database ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => adminQuery(databaseUrl, `drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
