/**
 * Benchmark of the document service's PDF renderer (pdfkit + embedded DejaVu Sans): milliseconds
 * per invoice PDF, one at a time on one core, after a warm-up. DESIGN §10 expects ~17 ms for a
 * one-page A4 invoice with 20 lines. Also shows what parsing the 750 KB font per PDF would cost
 * (the renderer parses it once per process). Run: `npx tsx bench/render-pdf.bench.ts`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { renderInvoicePdf } from '../services/document/src/render/invoice-pdf.ts';
import { invoiceSnapshot } from '../services/document/test/support/invoice-snapshot.ts';

const RUNS = Number(process.env.RUNS ?? 300);

async function timeIt(run: () => Promise<unknown>, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

function report(label: string, times: number[], extra = ''): void {
  const at = (q: number) =>
    (times[Math.min(times.length - 1, Math.floor(q * times.length))] as number).toFixed(1);
  const median = Number(at(0.5));
  console.log(
    `${label.padEnd(34)} median ${at(0.5).padStart(6)} ms  p90 ${at(0.9).padStart(6)} ms  p99 ${at(0.99).padStart(6)} ms` +
      `  ~${Math.round(1000 / median)}/s per core${extra}`,
  );
}

/** A one-line PDF whose font is read and parsed from the TTF file for this document alone. */
function fontPerPdf(fontFile: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4' });
    doc.on('data', () => undefined);
    doc.on('end', () => resolve());
    doc.registerFont('Regular', fontFile);
    doc.font('Regular').text('Invoice INV-2026-0042', 50, 50);
    doc.end();
  });
}

const cold = process.hrtime.bigint();
await renderInvoicePdf(invoiceSnapshot({ lineCount: 20 }));
console.log(
  `first render (font parse, JIT cold): ${(Number(process.hrtime.bigint() - cold) / 1e6).toFixed(1)} ms`,
);

for (const lineCount of [1, 20, 60]) {
  const invoice = invoiceSnapshot({ lineCount });
  const pdf = await renderInvoicePdf(invoice);
  for (let i = 0; i < 30; i++) await renderInvoicePdf(invoice); // warm-up
  const times = await timeIt(() => renderInvoicePdf(invoice), RUNS);
  report(`invoice, ${lineCount} lines`, times, `  ${(pdf.length / 1024).toFixed(1)} KB`);
}

const fontDir = path.join(
  path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
);
const fontFile = readFileSync(path.join(fontDir, 'DejaVuSans.ttf'));
for (let i = 0; i < 10; i++) await fontPerPdf(fontFile);
report('1 text line, font parsed per PDF', await timeIt(() => fontPerPdf(fontFile), Math.min(RUNS, 100)));
