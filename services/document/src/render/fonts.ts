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

/** Word layouts (glyphs and positions per word, in scaled font units) per registered face. */
type LayoutCache = Record<string, unknown>;
const layoutCaches = new Map<string, LayoutCache>();
let documentsSinceCheck = 0;
/** Words kept per face before the cache starts over (invoice text is open-ended user input). */
const MAX_CACHED_WORDS = 5_000;

/**
 * Makes the current font of `doc` (an embedded face selected with `doc.font(name)`) share its word
 * layouts with every other document. pdfkit shapes each word once per document (fontkit's
 * OpenType layout, ~a quarter of a render) and keeps the result in a per-document cache; the
 * result depends only on the face and the word, so one cache per face serves all documents.
 * pdfkit mutates a cached position only for justified text, which invoices never use.
 */
export function shareWordLayouts(doc: { _font?: { layoutCache?: LayoutCache } }, face: string): void {
  const font = doc._font;
  if (!font?.layoutCache) return; // no cache on this font (e.g. pdfkit's fontLayoutCache: false)
  let cache = layoutCaches.get(face);
  if (!cache || (documentsSinceCheck++ >= 100 && overflows(cache))) {
    cache = Object.create(null) as LayoutCache;
    layoutCaches.set(face, cache);
  }
  font.layoutCache = cache;
}

function overflows(cache: LayoutCache): boolean {
  documentsSinceCheck = 0;
  return Object.keys(cache).length > MAX_CACHED_WORDS;
}
