import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EmailStatus } from '@invoice/contracts';
import {
  canTransition,
  CLAIMED,
  DELIVERED,
  DOCUMENT_ARRIVED,
  DOCUMENT_FAILED,
  FINAL_STATES,
  GAVE_UP,
  IN_FLIGHT_STATES,
  initialStatus,
  needsJob,
  PENDING_STATES,
  RELEASED,
  WAITING_STATES,
} from '../../src/domain/email-status.ts';

const ALL: EmailStatus[] = ['waiting_for_document', 'queued', 'sending', 'sent', 'failed'];

describe('email status transitions', () => {
  it('allows exactly the lifecycle waiting → queued → sending → sent | failed, with retries back to queued', () => {
    const allowed = ALL.flatMap((from) =>
      ALL.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    assert.deepEqual(allowed.sort(), [
      'queued→failed',
      'queued→sending',
      'sending→failed',
      'sending→queued',
      'sending→sending',
      'sending→sent',
      'waiting_for_document→failed',
      'waiting_for_document→queued',
    ]);
  });

  it('never moves a sent or failed email again', () => {
    assert.deepEqual([...FINAL_STATES].sort(), ['failed', 'sent']);
    for (const from of FINAL_STATES) {
      for (const to of ALL) assert.ok(!canTransition(from, to), `${from} → ${to}`);
    }
  });

  it('puts every status in exactly one named set', () => {
    const sets = [WAITING_STATES, PENDING_STATES, IN_FLIGHT_STATES, FINAL_STATES];
    assert.deepEqual(sets.flat().sort(), [...ALL].sort());
  });

  it('starts an email queued, or waiting when its document is not known yet', () => {
    assert.equal(initialStatus({ waitsForDocument: false }), 'queued');
    assert.equal(initialStatus({ waitsForDocument: true }), 'waiting_for_document');
    assert.ok(needsJob(initialStatus({ waitsForDocument: false })));
    assert.ok(!needsJob(initialStatus({ waitsForDocument: true })));
  });

  it('gives a job only to queued emails', () => {
    assert.deepEqual(
      ALL.filter((status) => needsJob(status)),
      ['queued'],
    );
  });

  it('names the changes the repository makes, each allowed by the table', () => {
    assert.deepEqual(DOCUMENT_ARRIVED, { from: ['waiting_for_document'], to: 'queued' });
    assert.deepEqual(DOCUMENT_FAILED, { from: ['waiting_for_document'], to: 'failed' });
    assert.deepEqual(CLAIMED, { from: ['queued', 'sending'], to: 'sending' });
    assert.deepEqual(DELIVERED, { from: ['sending'], to: 'sent' });
    assert.deepEqual(RELEASED, { from: ['sending'], to: 'queued' });
    assert.deepEqual(GAVE_UP, { from: ['queued', 'sending'], to: 'failed' });
    for (const change of [DOCUMENT_ARRIVED, DOCUMENT_FAILED, CLAIMED, DELIVERED, RELEASED, GAVE_UP]) {
      for (const from of change.from) assert.ok(canTransition(from, change.to), `${from} → ${change.to}`);
    }
  });

  it('lets no change leave a final status', () => {
    for (const change of [DOCUMENT_ARRIVED, DOCUMENT_FAILED, CLAIMED, DELIVERED, RELEASED, GAVE_UP]) {
      assert.ok(change.from.every((from) => !FINAL_STATES.includes(from)));
    }
  });
});
