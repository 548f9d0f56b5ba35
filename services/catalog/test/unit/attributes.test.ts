import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkAttributes, checkDefinitions, isIsoDate } from '../../src/domain/attributes.ts';
import { CategoryTree } from '../../src/domain/category-tree.ts';

describe('attribute rules', () => {
  test('isIsoDate accepts real calendar dates only', () => {
    assert.equal(isIsoDate('2024-02-29'), true);
    assert.equal(isIsoDate('2023-02-29'), false);
    assert.equal(isIsoDate('2024-13-01'), false);
    assert.equal(isIsoDate('2024-1-01'), false);
  });

  test('checkAttributes names missing required and mistyped values, ignores undefined keys', () => {
    const errors = checkAttributes({ n: 'x', free: 1 }, [
      { key: 'n', label: 'N', type: 'number' },
      { key: 'r', label: 'R', type: 'text', required: true },
    ]);
    assert.deepEqual(
      errors.map((e) => e.field),
      ['/attributes/n', '/attributes/r'],
    );
  });

  test('checkDefinitions: enum needs options, only enum has them, keys are unique and not inherited', () => {
    const errors = checkDefinitions(
      [
        { key: 'a', label: 'A', type: 'enum' },
        { key: 'b', label: 'B', type: 'text', options: ['x'] },
        { key: 'b', label: 'B2', type: 'text' },
        { key: 'p', label: 'P', type: 'text' },
      ],
      new Set(['p']),
    );
    assert.deepEqual(
      errors.map((e) => e.field),
      ['/attributes/0/options', '/attributes/1/options', '/attributes/2/key', '/attributes/3/key'],
    );
  });
});

describe('category tree', () => {
  const tree = new CategoryTree([
    {
      id: 'r',
      parentId: null,
      name: 'Root',
      position: 0,
      attributes: [{ key: 'a', label: 'A', type: 'text' }],
    },
    { id: 'c2', parentId: 'r', name: 'Second', position: 2, attributes: [] },
    {
      id: 'c1',
      parentId: 'r',
      name: 'First',
      position: 1,
      attributes: [{ key: 'b', label: 'B', type: 'text' }],
    },
    { id: 'g', parentId: 'c1', name: 'Grand', position: 0, attributes: [] },
  ]);

  test('children are ordered by position; subtree lists parents first', () => {
    assert.deepEqual(
      tree.children('r').map((c) => c.id),
      ['c1', 'c2'],
    );
    assert.deepEqual(
      tree.subtree('r').map((c) => c.id),
      ['r', 'c1', 'c2', 'g'],
    );
  });

  test('effective definitions are inherited ones (root first), then own', () => {
    assert.deepEqual(
      tree.effective('g').map((d) => d.key),
      ['a', 'b'],
    );
  });

  test('isSelfOrDescendant detects the cycles a move would make', () => {
    assert.equal(tree.isSelfOrDescendant('r', 'g'), true);
    assert.equal(tree.isSelfOrDescendant('c1', 'c1'), true);
    assert.equal(tree.isSelfOrDescendant('c1', 'c2'), false);
  });
});
