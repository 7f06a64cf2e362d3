import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { entity, startClientHarness, UPSERT_FLAGS } from './client-harness.js';

const SECRET = 'very-secret-value-7f3a';

describe('PortClient logging', async () => {
  const harness = await startClientHarness({ clientSecret: SECRET }, { clientSecret: SECRET });
  const { simulator, client } = harness;
  after(() => simulator.close());

  it('never logs the secret or a token', async () => {
    simulator.state.setFaults({ failNext: [
      { path: '/v1/auth/access_token', status: 503 },
      { path: '/v1/blueprints/{bp}/entities/bulk', status: 429, retryAfterSeconds: 0 },
    ] });
    await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-1')], UPSERT_FLAGS);
    simulator.state.expireTokens();
    await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-2')], UPSERT_FLAGS);
    simulator.state.setFaults({ failNext: [{ path: '/v1/blueprints/{bp}/entities/bulk', status: 503, count: 10 }] });
    await client.upsertEntities('jiraIssue', [entity('jiraIssue', 'PROJ-3')], UPSERT_FLAGS);

    const logs = harness.logText();
    const tokens = simulator.state.issuedTokens();

    assert.ok(logs.includes('retrying'), 'the scenario logged retries');
    assert.ok(logs.includes('access token'), 'the scenario logged token events');
    assert.equal(tokens.length, 2);
    assert.ok(!logs.includes(SECRET), 'client secret in logs');
    for (const token of tokens) {
      assert.ok(!logs.includes(token), 'access token in logs');
    }
    assert.ok(!/bearer/i.test(logs), 'bearer header in logs');
  });

  it('logs failed ids of a whole request', () => {
    const failed = harness.logEntries().find((entry) => entry['msg'] === 'port request failed after retries');

    assert.deepEqual(failed?.['identifiers'], ['PROJ-3']);
    assert.equal(failed?.['status'], 503);
  });
});
