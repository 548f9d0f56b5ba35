/** The pooled SMTP transport (one pool per worker process, sized to the job concurrency). */
import nodemailer, { type Mail, type SMTPPoolOptions, type SMTPPoolSentMessageInfo } from 'nodemailer';
import type { Config } from '../config.ts';

/** A pooled nodemailer transport. */
export type Mailer = Mail<SMTPPoolSentMessageInfo, SMTPPoolOptions>;

/** Creates the transport; it connects lazily on the first message. */
export function createMailer(config: Config): Mailer {
  return nodemailer.createTransport({
    pool: true,
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    maxConnections: config.EMAIL_CONCURRENCY,
    ...(config.SMTP_USER ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
}
