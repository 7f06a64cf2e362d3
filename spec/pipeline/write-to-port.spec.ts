import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { from, lastValueFrom, toArray } from 'rxjs';
import { silentLogger } from '../../src/core/logger.js';
import { PortClient } from '../../src/port/client.js';
import { PortBatches } from '../../src/pipeline/port-batches.js';
import type { WorkGroup } from '../../src/pipeline/work.js';
import { writeToPort } from '../../src/pipeline/write-to-port.js';
import { MemoryWrittenIndex } from '../../src/pipeline/written-index.js';
import { startPortSimulator, type PortSimulator } from '../../src/simulators/port/index.js';

const BULK_UPSERT = 'POST /v1/blueprints/{bp}/entities/bulk';
const BULK_DELETE = 'POST /v1/blueprints/{bp}/bulk/entities/delete';
const OLDER = '2026-12-04T12:00:00.000+0000';
const NEWER = '2026-12-04T13:00:00.000+0000';

/** Builds a group that plans one upsert of issue `id` whose `fields.updated` is `updated`. */
function upsertGroup(id: string, updated: string): WorkGroup {
  const raw = { id, key: `CAT-${id}`, fields: { updated } };
  const entity = { identifier: `CAT-${id}`, blueprint: 'jiraIssue', title: `Issue ${id}`, properties: {}, relations: {} };
  return { key: `issue:0:${id}`, items: [], deletion: false, resource: { kind: 'issue', index: 0 } as never, upserts: [{ entity, raw }], deletes: [], release: () => undefined };
}

function deleteGroup(id: string): WorkGroup {
  return { key: `issue:0:${id}`, items: [], deletion: true, resource: { kind: 'issue', index: 0 } as never, upserts: [], deletes: [{ blueprint: 'jiraIssue', identifier: `CAT-${id}` }], release: () => undefined };
}

interface Writer {
  readonly port: PortSimulator;
  readonly index: MemoryWrittenIndex;
  write(groups: WorkGroup[]): Promise<WorkGroup[]>;
  requests(endpoint: string): Readonly<Record<string, number>>;
}

async function startWriter(t: TestContext): Promise<Writer> {
  const port = await startPortSimulator();
  const client = new PortClient({ baseUrl: port.url, clientId: port.clientId, clientSecret: port.clientSecret, retry: { baseDelayMs: 1 } });
  const batches = new PortBatches(client, {
    flushMs: 20, maxUpserts: 20, maxDeletes: 100, concurrency: 4,
    upsertOptions: { merge: false, createMissingRelatedEntities: true }, deleteDependents: true,
  });
  const index = new MemoryWrittenIndex();
  const operator = writeToPort(batches, index, silentLogger());
  t.after(async () => {
    batches.close();
    await port.close();
  });
  return {
    port,
    index,
    write: (groups) => lastValueFrom(from(groups).pipe(operator, toArray())),
    requests: (endpoint) => port.state.requestCounts()[endpoint] ?? {},
  };
}

describe('writeToPort', () => {
  it('drops an upsert older than the written state', async (t) => {
    const writer = await startWriter(t);
    writer.index.record({ resourceIndex: 0, jiraId: '1', updated: NEWER, blueprint: 'jiraIssue', identifier: 'CAT-1' });

    const [group] = await writer.write([upsertGroup('1', OLDER)]);

    assert.deepEqual(group?.upserted ?? [], []);
    assert.deepEqual(writer.requests(BULK_UPSERT), {});
  });

  it('writes a state newer than the written one', async (t) => {
    const writer = await startWriter(t);
    writer.index.record({ resourceIndex: 0, jiraId: '1', updated: OLDER, blueprint: 'jiraIssue', identifier: 'CAT-1' });

    const [group] = await writer.write([upsertGroup('1', NEWER)]);

    assert.deepEqual(group?.upserted, [{ blueprint: 'jiraIssue', identifier: 'CAT-1' }]);
    assert.equal(writer.index.lastUpdated(0, '1'), NEWER);
  });

  it('sends five groups in one bulk request', async (t) => {
    const writer = await startWriter(t);

    await writer.write(['1', '2', '3', '4', '5'].map((id) => upsertGroup(id, NEWER)));

    assert.deepEqual(writer.requests(BULK_UPSERT), { 200: 1 });
  });

  it('splits the batch in halves on 413', async (t) => {
    const writer = await startWriter(t);
    writer.port.state.setFaults({ failNext: [{ path: '/v1/blueprints/{bp}/entities/bulk', status: 413, count: 1 }] });

    const groups = await writer.write(['1', '2', '3', '4', '5'].map((id) => upsertGroup(id, NEWER)));

    assert.deepEqual(writer.requests(BULK_UPSERT), { 200: 2, 413: 1 });
    assert.equal(groups.filter((group) => group.upserted?.length === 1).length, 5);
  });

  it('fails only the group of a rejected entity', async (t) => {
    const writer = await startWriter(t);
    writer.port.state.rejectIdentifiers({ identifiers: ['CAT-2'] });

    const groups = await writer.write(['1', '2', '3'].map((id) => upsertGroup(id, NEWER)));
    const failed = groups.filter((group) => group.end?.outcome === 'failed').map((group) => group.key);

    assert.deepEqual(failed, ['issue:0:2']);
    assert.equal(groups.filter((group) => group.upserted?.length === 1).length, 2);
    assert.deepEqual(writer.requests(BULK_UPSERT), { 207: 1 });
  });

  it('does not delete an entity it deleted a moment ago', async (t) => {
    const writer = await startWriter(t);
    await writer.write([upsertGroup('1', NEWER)]);

    await writer.write([deleteGroup('1')]);
    const [again] = await writer.write([deleteGroup('1')]);

    assert.deepEqual(again?.deleted, [{ blueprint: 'jiraIssue', identifier: 'CAT-1' }]);
    assert.deepEqual(writer.requests(BULK_DELETE), { 200: 1 });
  });

  it('deletes again after an upsert in between', async (t) => {
    const writer = await startWriter(t);
    await writer.write([upsertGroup('1', OLDER)]);
    await writer.write([deleteGroup('1')]);

    await writer.write([upsertGroup('1', NEWER)]);
    await writer.write([deleteGroup('1')]);

    assert.deepEqual(writer.requests(BULK_DELETE), { 200: 2 });
    assert.deepEqual(writer.port.state.entities('jiraIssue'), []);
  });
});
