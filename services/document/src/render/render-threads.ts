/**
 * Renders invoice PDFs on worker threads. pdfkit's work is synchronous (~10–20 ms a 20-line
 * invoice, more under load): on the event loop it would hold up the API, the event consumers and
 * the outbox relay of the same process at every render. A fixed set of threads, each with the
 * fonts parsed once, takes the renders in arrival order.
 *
 * A render error (the snapshot cannot be printed) rejects with {@link RenderFailure}; a thread
 * that dies is replaced and its render rejects with {@link RenderThreadCrash}, which says nothing
 * about the document (a retry renders it again).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { InvoiceSnapshot } from '@invoice/contracts';
import type { RenderReply, RenderRequest } from './render-thread.ts';

/** The snapshot cannot be rendered (the same error the renderer throws on the event loop). */
export class RenderFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderFailure';
  }
}

/** The render thread died while rendering: a transient failure. */
export class RenderThreadCrash extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RenderThreadCrash';
  }
}

interface Task {
  invoice: InvoiceSnapshot;
  resolve(pdf: Buffer): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  started: number;
  current?: { id: number; task: Task };
}

// The entry next to this module: .ts under tsx, .js once compiled. A bundle must emit it next to
// itself as its own entry point (`render-thread.js`), or the renders stay on the event loop.
const ENTRY = new URL(`./render-thread${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/** A fixed pool of render threads with a FIFO queue. */
export class RenderThreads {
  /** True when the thread entry exists (a bundle may lack it); the path, for the log, otherwise. */
  static available(): true | string {
    const file = fileURLToPath(ENTRY);
    return existsSync(file) ? true : file;
  }

  readonly size: number;
  private readonly threads = new Set<Thread>();
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(size: number) {
    if (size < 1) throw new Error('a render pool needs at least one thread');
    this.size = size;
    for (let i = 0; i < size; i += 1) this.spawn();
  }

  /** Renders on the next free thread. */
  render(invoice: InvoiceSnapshot): Promise<Buffer> {
    if (this.closed) return Promise.reject(new RenderThreadCrash('the render threads are closed'));
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ invoice, resolve, reject });
      this.dispatch();
    });
  }

  /** Renders waiting or in progress. */
  get pending(): number {
    let busy = 0;
    for (const thread of this.threads) if (thread.current) busy += 1;
    return busy + this.queue.length;
  }

  /** Stops the threads; renders still queued or running are rejected as crashed (jobs retry). */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new RenderThreadCrash('render threads closed'));
    await Promise.all([...this.threads].map((thread) => thread.worker.terminate()));
  }

  private spawn(): void {
    const worker = new Worker(ENTRY, { name: 'pdf-render' });
    const thread: Thread = { worker, started: Date.now() };
    this.threads.add(thread);
    worker.on('message', (reply: RenderReply) => {
      const current = thread.current;
      if (!current || current.id !== reply.id) return;
      thread.current = undefined;
      if ('error' in reply) current.task.reject(new RenderFailure(reply.error));
      else current.task.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
      this.dispatch();
    });
    const lost = (error: unknown) => {
      if (!this.threads.delete(thread)) return;
      thread.current?.task.reject(new RenderThreadCrash('the render thread stopped', { cause: error }));
      thread.current = undefined;
      if (this.closed) return;
      // A thread that cannot even start must not be restarted in a tight loop.
      const delay = Date.now() - thread.started < 1_000 ? 1_000 : 0;
      setTimeout(() => {
        if (this.closed) return;
        this.spawn();
        this.dispatch();
      }, delay).unref();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`exit code ${code}`)));
  }

  private dispatch(): void {
    for (const thread of this.threads) {
      if (this.queue.length === 0) return;
      if (thread.current) continue;
      const task = this.queue.shift()!;
      const id = this.nextId++;
      thread.current = { id, task };
      thread.worker.postMessage({ id, invoice: task.invoice } satisfies RenderRequest);
    }
  }
}
