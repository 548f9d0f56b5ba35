import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { waitFor } from './helpers.ts';

/** A message the sink accepted, parsed. */
export interface ReceivedMail {
  envelopeTo: string[];
  parsed: ParsedMail;
}

/** A real SMTP server that accepts everything (or rejects on demand) and keeps what it got. */
export interface SmtpSink {
  host: string;
  port: number;
  mails: ReceivedMail[];
  /** Make the next `count` messages fail with this SMTP reply code (e.g. 451 transient, 550 permanent). */
  failNext(count: number, code: number): void;
  waitForMail(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

/** Starts an SMTP sink on 127.0.0.1 and a random port (no TLS, no auth). */
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  let failures = { count: 0, code: 451 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 25 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        if (failures.count > 0) {
          failures = { ...failures, count: failures.count - 1 };
          const error = Object.assign(
            new Error(failures.code >= 500 ? 'mailbox unavailable' : 'try again later'),
            {
              responseCode: failures.code,
            },
          );
          return callback(error);
        }
        const parsed = await simpleParser(Buffer.concat(chunks));
        mails.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), parsed });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    mails,
    failNext(count, code) {
      failures = { count, code };
    },
    waitForMail(predicate, timeoutMs = 20_000) {
      return waitFor(() => mails.find(predicate), { timeoutMs, what: 'an email' });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
