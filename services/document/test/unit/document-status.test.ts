import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DocumentStatus } from '@invoice/contracts';
import {
  canTransition,
  FINAL_STATES,
  hasFailed,
  INITIAL_STATUS,
  needsRendering,
  PENDING_STATES,
  RENDERED,
  RENDER_FAILED,
} from '../../src/domain/document-status.ts';

const ALL: DocumentStatus[] = ['pending', 'ready', 'failed'];

describe('document status transitions', () => {
  it('renders a pending document to ready or failed, and nothing else', () => {
    assert.ok(canTransition('pending', 'ready'));
    assert.ok(canTransition('pending', 'failed'));
    assert.ok(!canTransition('pending', 'pending'));
  });

  it('never moves a ready or failed document again', () => {
    for (const from of FINAL_STATES) {
      for (const to of ALL) assert.ok(!canTransition(from, to), `${from} → ${to}`);
    }
  });

  it('starts pending, and only pending documents need a render job', () => {
    assert.equal(INITIAL_STATUS, 'pending');
    assert.ok(PENDING_STATES.includes(INITIAL_STATUS));
    assert.deepEqual(
      ALL.filter((status) => needsRendering(status)),
      ['pending'],
    );
  });

  it('splits every status into pending or final', () => {
    assert.deepEqual([...PENDING_STATES, ...FINAL_STATES].sort(), [...ALL].sort());
    for (const status of PENDING_STATES) assert.ok(!FINAL_STATES.includes(status));
  });

  it('names the changes the repository makes, each allowed by the table', () => {
    assert.deepEqual(RENDERED, { from: ['pending'], to: 'ready' });
    assert.deepEqual(RENDER_FAILED, { from: ['pending'], to: 'failed' });
    for (const change of [RENDERED, RENDER_FAILED]) {
      for (const from of change.from) assert.ok(canTransition(from, change.to));
      assert.ok(FINAL_STATES.includes(change.to));
    }
  });

  it('shows the error text only of a document that failed for good', () => {
    assert.deepEqual(
      ALL.filter((status) => hasFailed(status)),
      ['failed'],
    );
  });
});
