/**
 * The embedded fonts (DejaVu Sans: wide Unicode coverage, free licence, embeddable for PDF/A).
 * Each face is parsed once per process and shared by every render: parsing a 750 KB TTF per PDF
 * cost ~20 ms, and the shared font keeps its glyph and layout caches warm. Sharing is safe
 * because a render runs synchronously and each document builds its own subset.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { create, type Font } from 'fontkit';

const fontDirectory = path.join(
  path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
);

/** The two faces an invoice uses. */
export interface InvoiceFonts {
  regular: Font;
  bold: Font;
}

let cached: InvoiceFonts | undefined;

/** Loads the fonts on first use. */
export function invoiceFonts(): InvoiceFonts {
  cached ??= {
    regular: create(readFileSync(path.join(fontDirectory, 'DejaVuSans.ttf'))),
    bold: create(readFileSync(path.join(fontDirectory, 'DejaVuSans-Bold.ttf'))),
  };
  return cached;
}
