import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Subject } from 'rxjs';
import type { ResourceConfig } from '../../src/mapping/types.js';
import { coalesceByEntity } from '../../src/pipeline/coalesce-by-entity.js';
import type { WorkGroup, WorkItem } from '../../src/pipeline/work.js';
import { IssueProcessor, type IssuePayload } from '../../src/processors/issue.js';

const processor = new IssueProcessor({ allowUnsigned: true });
const resource = { kind: 'issue', index: 0, selector: { query: 'true' }, port: { entity: { mappings: {} } } } as unknown as ResourceConfig;
let offset = 0;

/** Builds a validated issue work item, as the validation stage emits it. */
function item(issueId: string, webhookEvent: IssuePayload['webhookEvent'] = 'jira:issue_updated'): WorkItem {
  offset++;
  const payload: IssuePayload = { webhookEvent, issue: { id: issueId, key: `CAT-${issueId}` }, previousKeys: [] };
  return {
    delivery: { offset, deliveryId: `delivery-${offset}`, receivedAt: 0, headers: {}, body: Buffer.from('{}') },
    startedAt: 0,
    webhookEvent,
    processor: processor as never,
    resource,
    payload,
    entityId: issueId,
  };
}

/** Runs the operator on a Subject and collects the groups it emits. */
function coalesce(windowMs: number, maxItems?: number): { input: Subject<WorkItem>; groups: WorkGroup[] } {
  const input = new Subject<WorkItem>();
  const groups: WorkGroup[] = [];
  input.pipe(coalesceByEntity(windowMs, maxItems)).subscribe((group) => groups.push(group));
  return { input, groups };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('coalesceByEntity', () => {
  it('merges items inside the window', async () => {
    const { input, groups } = coalesce(30);

    for (let i = 0; i < 5; i++) input.next(item('10001'));
    await sleep(80);

    assert.equal(groups.length, 1);
    assert.equal(groups[0]?.items.length, 5);
  });

  it('keeps entities apart', async () => {
    const { input, groups } = coalesce(10);

    input.next(item('10001'));
    input.next(item('10002'));
    await sleep(50);

    assert.deepEqual(groups.map((group) => group.entityId).sort(), ['10001', '10002']);
  });

  it('starts one more group after release', () => {
    const { input, groups } = coalesce(0);

    input.next(item('10001'));
    for (let i = 0; i < 3; i++) input.next(item('10001'));
    const waitingWhileRunning = groups.length;
    groups[0]?.release();
    const afterFirstRelease = groups.length;
    groups[1]?.release();

    assert.equal(waitingWhileRunning, 1, 'no second group while the first runs');
    assert.equal(afterFirstRelease, 2, 'exactly one more group after the release');
    assert.equal(groups[1]?.items.length, 3, 'the second group holds every item that waited');
    assert.equal(groups.length, 2, 'nothing more once the second group is released');
  });

  it('ignores a second release', () => {
    const { input, groups } = coalesce(0);

    input.next(item('10001'));
    input.next(item('10001'));
    input.next(item('10001'));
    groups[0]?.release();
    groups[0]?.release();

    assert.equal(groups.length, 2);
  });

  it('lets a deletion win over updates', async () => {
    const { input, groups } = coalesce(20);

    input.next(item('10001'));
    input.next(item('10001', 'jira:issue_deleted'));
    input.next(item('10001'));
    await sleep(60);

    assert.equal(groups.length, 1);
    assert.equal(groups[0]?.deletion, true);
    assert.equal((groups[0]?.payload as IssuePayload).webhookEvent, 'jira:issue_deleted');
  });

  it('takes one item per group with maxItems 1', () => {
    const { input, groups } = coalesce(0, 1);

    for (let i = 0; i < 3; i++) input.next(item('10001'));
    groups[0]?.release();
    groups[1]?.release();

    assert.deepEqual(groups.map((group) => group.items.length), [1, 1, 1]);
  });

  it('rejects maxItems below 1', () => {
    assert.throws(() => coalesceByEntity(0, 0), RangeError);
  });

  it('completes after the last release', () => {
    const input = new Subject<WorkItem>();
    const groups: WorkGroup[] = [];
    let completed = false;
    input.pipe(coalesceByEntity(0)).subscribe({ next: (group) => groups.push(group), complete: () => (completed = true) });

    input.next(item('10001'));
    input.complete();
    const completedBeforeRelease = completed;
    groups[0]?.release();

    assert.equal(completedBeforeRelease, false);
    assert.equal(completed, true);
  });
});
