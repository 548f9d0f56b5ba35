/**
 * S3 for documents: a client that works with AWS, Ceph RGW, MinIO and s3rver (path-style, checksums
 * only when required), object helpers and short-lived presigned downloads.
 */
import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** Connection settings of an S3-compatible store. */
export interface StorageOptions {
  endpoint: string;
  /** Endpoint written into presigned URLs (what clients can reach); defaults to `endpoint`. */
  publicEndpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** The variables {@link storageOptionsFromConfig} reads (`S3Config` in `@invoice/platform-config`). */
export interface StorageConfig {
  S3_ENDPOINT: string;
  S3_PUBLIC_ENDPOINT?: string | undefined;
  S3_REGION: string;
  S3_BUCKET: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
}

/** The connection settings the S3 variables describe (no public endpoint unless one is set). */
export function storageOptionsFromConfig(config: Readonly<StorageConfig>): StorageOptions {
  return {
    endpoint: config.S3_ENDPOINT,
    ...(config.S3_PUBLIC_ENDPOINT ? { publicEndpoint: config.S3_PUBLIC_ENDPOINT } : {}),
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
  };
}

/** An S3 bucket with the few operations the services need. */
export class ObjectStorage {
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly publicClient: S3Client;

  constructor(options: StorageOptions) {
    this.bucket = options.bucket;
    this.client = createS3Client(options.endpoint, options);
    this.publicClient = options.publicEndpoint
      ? createS3Client(options.publicEndpoint, options)
      : this.client;
  }

  /** Creates the bucket when it does not exist (dev and test stand-ins). */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket })).catch((error: Error) => {
        if (!/BucketAlready/.test(error.name)) throw error;
      });
    }
  }

  /** Stores bytes under a server-made key. */
  async put(
    key: string,
    body: Buffer,
    contentType: string,
    metadata: Record<string, string> = {},
  ): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        Metadata: metadata,
      }),
    );
  }

  /** Reads a whole object. */
  async get(key: string): Promise<Buffer> {
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!result.Body) throw new Error(`empty body for ${key}`);
    return Buffer.from(await result.Body.transformToByteArray());
  }

  /** Reads an object as a stream (for files too large to hold in memory). */
  async getStream(key: string): Promise<Readable> {
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!result.Body) throw new Error(`empty body for ${key}`);
    return result.Body as Readable;
  }

  /** Deletes an object (deleting a missing one is not an error). */
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** A presigned GET URL valid for `expiresInSeconds` (default 5 minutes). */
  async presignedGetUrl(
    key: string,
    options: { expiresInSeconds?: number; filename?: string } = {},
  ): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ...(options.filename ? { ResponseContentDisposition: `inline; filename="${options.filename}"` } : {}),
    });
    return getSignedUrl(this.publicClient, command, { expiresIn: options.expiresInSeconds ?? 300 });
  }

  /** True when the bucket answers (for `/readyz`). */
  async isReady(): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.client.destroy();
    if (this.publicClient !== this.client) this.publicClient.destroy();
  }
}

function createS3Client(endpoint: string, options: StorageOptions): S3Client {
  return new S3Client({
    endpoint,
    region: options.region,
    forcePathStyle: true,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Without these, streamed uploads to non-AWS servers are stored with aws-chunked framing inside.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
