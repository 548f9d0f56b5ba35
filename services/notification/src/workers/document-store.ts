/** Reads rendered PDFs from S3, from whichever bucket the document record names. */
import { createHash } from 'node:crypto';
import { ObjectStorage, type StorageOptions } from '@invoice/platform-storage';

/** A stored document to attach. */
export interface StoredDocument {
  bucket: string;
  key: string;
  sha256: string;
}

/** S3 clients per bucket, sharing one set of connection settings. */
export class DocumentStore {
  private readonly options: StorageOptions;
  private readonly buckets = new Map<string, ObjectStorage>();

  constructor(options: StorageOptions) {
    this.options = options;
  }

  /**
   * The document's bytes, checked against the sha256 the document service published: a file that
   * changed after rendering is never attached silently.
   */
  async read(document: StoredDocument): Promise<Buffer> {
    const bytes = await this.storage(document.bucket).get(document.key);
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (digest !== document.sha256) {
      throw new Error(`document ${document.key} does not match its sha256`);
    }
    return bytes;
  }

  /** Closes every client. */
  close(): void {
    for (const storage of this.buckets.values()) storage.close();
    this.buckets.clear();
  }

  private storage(bucket: string): ObjectStorage {
    let storage = this.buckets.get(bucket);
    if (!storage) {
      storage = new ObjectStorage({ ...this.options, bucket });
      this.buckets.set(bucket, storage);
    }
    return storage;
  }
}
