/**
 * An SMTP sink for the bench: accepts every message and records when it was accepted, its
 * recipients and its subject. Unlike the test kit's sink it does not parse MIME bodies (only the
 * header block is read), so at 40 messages/s it costs the bench process next to nothing.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { now } from './stats.ts';

/** A message the sink accepted. */
export interface AcceptedMail {
  /** When the sink accepted the message (end of DATA; see `now()` in stats.ts). */
  acceptedAt: number;
  to: string[];
  subject: string;
  bytes: number;
}

/** The running sink. */
export interface BenchSmtpSink {
  host: string;
  port: number;
  mails: AcceptedMail[];
  /** Called for every accepted message. */
  onMail: ((mail: AcceptedMail) => void) | undefined;
  stop(): Promise<void>;
}

const HEADER_LIMIT = 64 * 1024;

/** Decodes RFC 2047 encoded words (`=?utf-8?B?…?=` / `=?utf-8?Q?…?=`) in a header value. */
export function decodeHeader(value: string): string {
  return value.replace(
    /=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g,
    (_match, _charset: string, kind: string, text: string) => {
      if (kind.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
      const bytes = text
        .replace(/_/g, ' ')
        .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    },
  );
}

/** The Subject header of a raw header block (unfolded, decoded). */
export function subjectOf(headerBlock: string): string {
  const unfolded = headerBlock.replace(/\r?\n[ \t]+/g, ' ');
  const line = /^subject:[ \t]*(.*)$/im.exec(unfolded)?.[1] ?? '';
  return decodeHeader(line.trim());
}

/** Starts the sink on 127.0.0.1 and a free port. */
export async function startBenchSmtpSink(): Promise<BenchSmtpSink> {
  const sink: BenchSmtpSink = {
    host: '127.0.0.1',
    port: 0,
    mails: [],
    onMail: undefined,
    stop: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 25 * 1024 * 1024,
    onData(stream, session, callback) {
      let header = '';
      let headerDone = false;
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (headerDone) return;
        header += chunk.toString('latin1');
        const end = header.search(/\r?\n\r?\n/);
        if (end >= 0) {
          header = header.slice(0, end);
          headerDone = true;
        } else if (header.length > HEADER_LIMIT) headerDone = true;
      });
      stream.on('end', () => {
        const mail: AcceptedMail = {
          acceptedAt: now(),
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          subject: subjectOf(Buffer.from(header, 'latin1').toString('utf8')),
          bytes,
        };
        sink.mails.push(mail);
        sink.onMail?.(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = (server.server.address() as AddressInfo).port;
  sink.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
