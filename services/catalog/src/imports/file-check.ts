/**
 * What an upload is, decided by its bytes (never its name): an XLSX is a zip whose
 * `[Content_Types].xml` declares a spreadsheetml workbook; a CSV is UTF-8 text without NUL bytes.
 * The zip's entries are inflated once here with a running count, so a zip bomb (an entry that
 * inflates beyond the limit or the ratio, whatever its header claims) is refused before anything
 * reads it; the stored file is immutable, so the worker reads exactly what was checked.
 */
import { createInflateRaw } from 'node:zlib';
import { AppError } from '@invoice/contracts';

/** The formats an import reads. */
export type ImportFormat = 'csv' | 'xlsx';

/** Largest ratio of uncompressed to compressed bytes of a whole XLSX. */
export const MAX_ZIP_RATIO = 200;
/** Most entries an XLSX may hold. */
export const MAX_ZIP_ENTRIES = 10_000;

const FILE_FIELD = '/file';

function unsupported(detail: string): AppError {
  return new AppError('UNSUPPORTED_MEDIA_TYPE', {
    detail,
    errors: [{ field: FILE_FIELD, message: detail, in: 'body' }],
  });
}

/** A plain file name ending in .csv or .xlsx (no directories, no control characters); 400 otherwise. */
export function checkFileName(name: string | undefined): { name: string; extension: ImportFormat } {
  const fail = (message: string) =>
    new AppError('VALIDATION_FAILED', {
      detail: `filename ${message}`,
      errors: [{ field: '/file/filename', message, in: 'body' }],
    });
  if (!name || name.trim() === '') throw fail('is required');
  if (
    /[/\\]/.test(name) ||
    name.includes('..') ||
    [...name].some((char) => char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127)
  ) {
    throw fail('must be a plain file name, without a path');
  }
  if (name.length > 255) throw fail('is longer than 255 characters');
  const match = /\.(csv|xlsx)$/i.exec(name);
  if (!match) throw unsupported('only .csv and .xlsx files can be imported');
  return { name, extension: match[1]!.toLowerCase() as ImportFormat };
}

/** The file's format from its content, which must agree with its extension; 400/415 otherwise. */
export async function checkContent(
  bytes: Buffer,
  extension: ImportFormat,
  maxUncompressed: number,
): Promise<ImportFormat> {
  if (bytes.length === 0) {
    throw new AppError('VALIDATION_FAILED', {
      detail: 'the file is empty',
      errors: [{ field: FILE_FIELD, message: 'is empty', in: 'body' }],
    });
  }
  const isZip = bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
  if (extension === 'xlsx') {
    if (!isZip) throw unsupported('the file is not an XLSX workbook (its content is not a zip archive)');
    await checkWorkbookZip(bytes, maxUncompressed);
    return 'xlsx';
  }
  if (isZip || !isUtf8Text(bytes)) throw unsupported('the file is not a CSV (UTF-8 text) file');
  return 'csv';
}

function isUtf8Text(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

/** Reads the zip's central directory. */
function zipEntries(bytes: Buffer): ZipEntry[] {
  const notZip = () => unsupported('the file is not an XLSX workbook (a damaged zip archive)');
  // End of central directory: 22 bytes plus a comment of up to 65,535 bytes, at the end.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65_535); at--) {
    if (bytes.readUInt32LE(at) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw notZip();
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  if (count > MAX_ZIP_ENTRIES) throw unsupported(`the workbook has more than ${MAX_ZIP_ENTRIES} parts`);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) throw notZip();
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    entries.push({
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      localHeaderOffset: bytes.readUInt32LE(at + 42),
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The bytes of an entry, inflated while counting; throws once `budget` bytes are exceeded. */
async function inflateEntry(
  bytes: Buffer,
  entry: ZipEntry,
  budget: number,
  keep: boolean,
): Promise<{ size: number; content?: Buffer }> {
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== 0x04034b50) {
    throw unsupported('the file is not an XLSX workbook (a damaged zip archive)');
  }
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) {
    if (data.length > budget) throw zipBomb();
    return { size: data.length, ...(keep ? { content: Buffer.from(data) } : {}) };
  }
  if (entry.method !== 8) throw unsupported('the workbook uses a zip compression it cannot be read with');
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    const chunks: Buffer[] = [];
    let size = 0;
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > budget) {
        inflate.destroy();
        reject(zipBomb());
        return;
      }
      if (keep) chunks.push(chunk);
    });
    inflate.on('error', () => reject(unsupported('the file is not an XLSX workbook (a damaged zip entry)')));
    inflate.on('end', () => resolve({ size, ...(keep ? { content: Buffer.concat(chunks) } : {}) }));
    inflate.end(data);
  });
}

function zipBomb(): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', {
    detail: 'the workbook inflates to more than the allowed size (a zip bomb?)',
    errors: [{ field: FILE_FIELD, message: 'inflates beyond the allowed size', in: 'body' }],
  });
}

/** A spreadsheetml package whose entries inflate within the limits. */
async function checkWorkbookZip(bytes: Buffer, maxUncompressed: number): Promise<void> {
  const entries = zipEntries(bytes);
  const types = entries.find((entry) => entry.name === '[Content_Types].xml');
  if (!types) throw unsupported('the file is a zip archive but not an XLSX workbook');
  let budget = Math.min(maxUncompressed, bytes.length * MAX_ZIP_RATIO);
  for (const entry of entries) {
    const keep = entry === types;
    const { size, content } = await inflateEntry(bytes, entry, budget, keep);
    budget -= size;
    if (keep && !content!.toString('utf8').includes('spreadsheetml.sheet.main+xml')) {
      throw unsupported('the file is a zip archive but not an XLSX workbook');
    }
  }
}
