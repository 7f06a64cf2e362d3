import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GroupCommit } from '../../src/log/group-commit.js';

/** A commit function that records each group and returns each item doubled. */
function recordingCommit(groups: number[][]): (items: readonly number[]) => number[] {
  return (items) => {
    groups.push([...items]);
    return items.map((item) => item * 2);
  };
}

const toError = (items: readonly number[], cause: unknown): Error =>
  new Error(`group of ${items.length} failed: ${String(cause)}`);

describe('group commit', () => {
  test('writes in one tick share a commit', async () => {
    const groups: number[][] = [];
    const group = new GroupCommit(recordingCommit(groups), toError, 5, 100);

    const results = await Promise.all([1, 2, 3].map((item) => group.submit(item)));

    assert.deepEqual(results, [2, 4, 6]);
    assert.deepEqual(groups, [[1, 2, 3]]);
  });

  test('maxItems closes the group', async () => {
    const groups: number[][] = [];
    const group = new GroupCommit(recordingCommit(groups), toError, 5, 2);

    await Promise.all([1, 2, 3].map((item) => group.submit(item)));

    assert.deepEqual(groups, [[1, 2], [3]]);
  });

  test('failed commit rejects the whole group', async () => {
    const group = new GroupCommit<number, number>(
      () => {
        throw new Error('disk full');
      },
      toError,
      0,
      100,
    );

    const results = await Promise.allSettled([group.submit(1), group.submit(2)]);

    assert.deepEqual(
      results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'fulfilled')),
      ['Error: group of 2 failed: Error: disk full', 'Error: group of 2 failed: Error: disk full'],
    );
  });

  test('schedule commits an empty group', async () => {
    const groups: number[][] = [];
    const group = new GroupCommit(recordingCommit(groups), toError, 0, 100);

    group.schedule();
    await new Promise((resolve) => setTimeout(resolve, 20));

    assert.deepEqual(groups, [[]]);
  });

  test('flush commits at once', () => {
    const groups: number[][] = [];
    const group = new GroupCommit(recordingCommit(groups), toError, 60_000, 100);

    void group.submit(1);
    group.flush();

    assert.deepEqual(groups, [[1]]);
  });
});
