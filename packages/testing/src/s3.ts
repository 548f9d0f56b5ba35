import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { randomBytes } from 'node:crypto';
import type { StorageOptions } from '@invoice/platform-storage';

/** An S3 endpoint for one test file, with its own bucket. */
export interface TestS3 {
  options: StorageOptions;
  stop(): Promise<void>;
}

/**
 * Uses the S3 server named by TEST_S3_ENDPOINT (with TEST_S3_ACCESS_KEY_ID/SECRET), or starts an
 * s3rver on a random port over a temporary folder. Each call gets a fresh bucket.
 */
export async function startS3(): Promise<TestS3> {
  const bucket = `test-${randomBytes(5).toString('hex')}`;
  if (process.env.TEST_S3_ENDPOINT) {
    return {
      options: {
        endpoint: process.env.TEST_S3_ENDPOINT,
        region: process.env.TEST_S3_REGION ?? 'us-east-1',
        bucket,
        accessKeyId: process.env.TEST_S3_ACCESS_KEY_ID ?? '',
        secretAccessKey: process.env.TEST_S3_SECRET_ACCESS_KEY ?? '',
      },
      stop: async () => {},
    };
  }
  const directory = await mkdtemp(path.join(tmpdir(), 's3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const address = (await server.run()) as AddressInfo;
  return {
    options: {
      endpoint: `http://127.0.0.1:${address.port}`,
      region: 'us-east-1',
      bucket,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    },
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
