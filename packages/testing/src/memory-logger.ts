/** A real pino logger that writes its JSON lines into memory, for asserting what was logged. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** One parsed log line. */
export type LogLine = Record<string, unknown> & { msg?: string; level: number };

/** The logger and the lines it wrote so far. */
export function memoryLogger(level = 'debug'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      callback();
    },
  });
  return { logger: pino({ level }, stream), lines };
}
