import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  attachmentFilename,
  classifySmtpError,
  errorSummary,
  idempotencyKey,
  messageIdFor,
  providerMessageId,
} from '../../src/domain/email.ts';
import { verifyEmailLink } from '../../src/domain/links.ts';

describe('email rules', () => {
  it('builds one idempotency key per event, template and recipient (or all)', () => {
    assert.equal(idempotencyKey('e1', 'verify-email', 'Ann@Example.com'), 'e1:verify-email:ann@example.com');
    assert.equal(idempotencyKey('e1', 'invoice'), 'e1:invoice:all');
  });

  it('treats SMTP 5xx as permanent and 4xx or connection errors as transient', () => {
    assert.equal(classifySmtpError(Object.assign(new Error('no'), { responseCode: 550 })), 'permanent');
    assert.equal(classifySmtpError(Object.assign(new Error('later'), { responseCode: 451 })), 'transient');
    assert.equal(
      classifySmtpError(Object.assign(new Error('refused'), { code: 'ECONNECTION' })),
      'transient',
    );
  });

  it('derives a stable Message-ID from the email id and the sender domain', () => {
    assert.equal(messageIdFor('abc', '"Invoice Platform" <no-reply@invoice.local>'), '<abc@invoice.local>');
    assert.equal(messageIdFor('abc', 'mail@example.org'), '<abc@example.org>');
  });

  it('names the attachment after the document number without path characters', () => {
    assert.equal(attachmentFilename('INV-1'), 'INV-1.pdf');
    assert.equal(attachmentFilename('FV/2026/11/001'), 'FV-2026-11-001.pdf');
  });

  it('takes the provider id from the SMTP reply when it names one', () => {
    assert.equal(providerMessageId('250 2.0.0 Ok: queued as 4F2A9C', '<id@x>'), '4F2A9C');
    assert.equal(providerMessageId('250 OK: message queued', '<id@x>'), '<id@x>');
  });

  it('summarizes errors on one bounded line', () => {
    assert.equal(errorSummary(new Error('a\n  b')), 'a b');
    assert.equal(errorSummary(new Error('x'.repeat(900))).length, 500);
  });

  it('builds the verification link under the public app URL', () => {
    assert.equal(
      verifyEmailLink('http://127.0.0.1:8080/', 'a+b'),
      'http://127.0.0.1:8080/verify-email?token=a%2Bb',
    );
  });
});
