/**
 * Child process of `bench/pipeline-events.bench.ts`: the S3 stand-in (s3rver) and the SMTP sink of
 * packages/testing, kept out of the driver's and the services' processes so their CPU does not
 * distort the measurement. Reports each accepted email (first recipient, wall-clock ms) over IPC.
 */
import { startS3, startSmtpSink } from '@invoice/platform-testing';

const [s3, smtp] = await Promise.all([startS3(), startSmtpSink()]);
const push = smtp.mails.push.bind(smtp.mails);
smtp.mails.push = (...mails) => {
  const at = performance.timeOrigin + performance.now();
  for (const mail of mails) process.send?.({ type: 'mail', to: mail.envelopeTo[0], at });
  // Keep no bodies: a minute of PDFs would only grow this process.
  void push;
  return 0;
};
process.send?.({ type: 'ready', s3: s3.options, smtp: { host: smtp.host, port: smtp.port } });
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stop') {
    void Promise.all([s3.stop(), smtp.stop()]).finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
