/**
 * Benchmark of the money engine: computeTotals on a 1,000-line invoice with mixed VAT rates, line
 * allowances, price base quantities and document-level allowances/charges. Target: < 5 ms per invoice
 * on one core. Run: `taskset -c 1 npx tsx bench/totals.bench.ts` (taskset pins the process, GC threads
 * included, to one core; without it the numbers are the same or noisier). Results: bench/totals.md.
 */
import type { DocumentPricingInput, LineInput } from '@invoice/contracts';
import { computeTotals } from '../services/invoicing/src/domain/money/index.ts';

const RATES: Pick<LineInput, 'vatCategory' | 'vatRate' | 'vatExemptionReason'>[] = [
  { vatCategory: 'S', vatRate: '19' },
  { vatCategory: 'S', vatRate: '7' },
  { vatCategory: 'S', vatRate: '19' },
  { vatCategory: 'Z', vatRate: '0' },
  { vatCategory: 'E', vatExemptionReason: 'Exempt under Art. 132 Directive 2006/112/EC' },
];

function invoice(lineCount: number, priceMode: 'net' | 'gross'): DocumentPricingInput {
  const lines: LineInput[] = [];
  for (let i = 0; i < lineCount; i++) {
    lines.push({
      description: `Item ${i}`,
      quantity: i % 3 === 0 ? `${(i % 17) + 1}.25` : String((i % 9) + 1),
      unitCode: 'C62',
      unitPrice: `${(i * 7919) % 1000}.${String((i * 31) % 10000).padStart(4, '0')}`,
      ...(i % 10 === 0 ? { priceBaseQuantity: '100' } : {}),
      ...(i % 4 === 0 ? { allowances: [{ percent: '5', reason: 'Volume' }] } : {}),
      ...(RATES[i % RATES.length] as (typeof RATES)[number]),
    });
  }
  return {
    currency: 'EUR',
    priceMode,
    lines,
    allowances: [{ percent: '2', vatCategory: 'S', vatRate: '19', reason: 'Loyalty' }],
    charges: [{ amount: '25.00', vatCategory: 'S', vatRate: '19', reason: 'Shipping' }],
    prepaid: '100.00',
  };
}

function measure(label: string, input: DocumentPricingInput, runs: number): void {
  for (let i = 0; i < 200; i++) computeTotals(input); // warm-up: let the JIT settle
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    computeTotals(input);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  // CPU time of this process only: robust when other processes share the cores.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerRun = (cpu.user + cpu.system) / 1000 / runs;
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    (times[Math.min(times.length - 1, Math.floor(q * times.length))] as number).toFixed(3);
  console.log(
    `${label}: median ${at(0.5)} ms, p95 ${at(0.95)} ms, min ${at(0)} ms, CPU ${cpuPerRun.toFixed(3)} ms/run (${runs} runs)`,
  );
}

console.log(`node ${process.version}, ${process.arch}`);
measure('1,000 lines, net prices  ', invoice(1000, 'net'), 1000);
measure('1,000 lines, gross prices', invoice(1000, 'gross'), 1000);
measure('   20 lines, net prices  ', invoice(20, 'net'), 5000);
