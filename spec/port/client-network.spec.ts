import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { entity, startClientHarness, UPSERT_FLAGS } from './client-harness.js';

describe('PortClient network failures', async () => {
  const slow = await startClientHarness({}, { timeoutMs: 100, retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 5 } });
  const closed = await startClientHarness({}, { retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 5 } });
  await closed.simulator.close();
  after(() => slow.simulator.close());

  it('fails entities after timeouts', async () => {
    await slow.client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-0')], UPSERT_FLAGS);
    slow.simulator.state.setFaults({ latencyMs: 400 });

    const outcome = await slow.client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1')], UPSERT_FLAGS);

    assert.deepEqual(outcome.failed.map((failure) => [failure.status, failure.error]), [[0, 'timeout']]);
    assert.deepEqual(slow.requests.slice(-2).map((info) => info.status), ['error', 'error']);
  });

  it('fails entities when the server is down', async () => {
    const outcome = await closed.client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1')], UPSERT_FLAGS);

    assert.equal(outcome.failed[0]?.status, 0);
    assert.equal(outcome.failed[0]?.error, 'network_error');
  });
});
