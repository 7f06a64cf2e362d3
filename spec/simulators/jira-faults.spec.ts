import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';

import { startJiraSimulator, type JiraSimulator, type JiraSimulatorOptions } from '../../src/simulators/jira/index.js';

const SEARCH = '/rest/api/3/search/jql';
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

async function startSimulator(t: TestContext, options: JiraSimulatorOptions = {}): Promise<JiraSimulator> {
  const simulator = await startJiraSimulator(options);
  t.after(() => simulator.close());
  simulator.state.load({ projects: [{ key: 'CAT', name: 'Catalog' }], issues: [{ projectKey: 'CAT', summary: 'One' }] });
  return simulator;
}

function searchRequest(simulator: JiraSimulator): Promise<Response> {
  return fetch(`${simulator.url}${SEARCH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jql: 'project = CAT' }),
  });
}

describe('rate-limit faults', () => {
  test('burst limit headers', async (t) => {
    const simulator = await startSimulator(t);
    simulator.state.setFaults({ burstLimitPerSecond: 1 });

    const first = await searchRequest(simulator);
    const limited = await searchRequest(simulator);
    const otherEndpoint = await fetch(`${simulator.url}/rest/api/3/issue/CAT-1`);

    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-ratelimit-limit'), '1');
    assert.equal(first.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('ratelimit-reason'), 'jira-burst-based');
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.equal(limited.headers.get('x-ratelimit-limit'), '1');
    assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
    assert.match(String(limited.headers.get('x-ratelimit-reset')), ISO_8601);
    assert.equal(otherEndpoint.status, 200);
  });

  test('quota exhaustion headers', async (t) => {
    const simulator = await startSimulator(t);
    simulator.state.setFaults({ quotaExhaustedForSeconds: 30 });

    const search = await searchRequest(simulator);
    const issue = await fetch(`${simulator.url}/rest/api/3/issue/CAT-1`);
    const reset = Date.parse(String(search.headers.get('x-ratelimit-reset')));

    assert.equal(search.status, 429);
    assert.equal(issue.status, 429);
    assert.equal(search.headers.get('ratelimit-reason'), 'jira-quota-tenant-based');
    assert.match(String(search.headers.get('x-ratelimit-reset')), ISO_8601);
    assert.ok(reset > Date.now(), 'reset lies in the future');
    assert.ok(Number(search.headers.get('retry-after')) >= 29);
    assert.ok(Number(search.headers.get('retry-after')) <= 30);
  });

  test('gateway 429 without Retry-After', async (t) => {
    const simulator = await startSimulator(t);
    simulator.state.setFaults({ gateway429WithoutRetryAfter: 2 });

    const responses = [await searchRequest(simulator), await searchRequest(simulator), await searchRequest(simulator)];

    assert.deepEqual(responses.map((response) => response.status), [429, 429, 200]);
    assert.equal(responses[0]?.headers.get('retry-after'), null);
    assert.equal(responses[0]?.headers.get('ratelimit-reason'), null);
    assert.match(String(responses[0]?.headers.get('x-ratelimit-reset')), ISO_8601);
  });

  test('near limit header', async (t) => {
    const simulator = await startSimulator(t);
    simulator.state.setFaults({ nearLimit: true });

    const response = await searchRequest(simulator);

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-ratelimit-nearlimit'), 'true');
  });

  test('burst near limit below 20%', async (t) => {
    const simulator = await startSimulator(t);
    simulator.state.setFaults({ burstLimitPerSecond: 10 });

    const responses: Response[] = [];
    for (let index = 0; index < 9; index += 1) responses.push(await searchRequest(simulator));

    assert.equal(responses[0]?.headers.get('x-ratelimit-remaining'), '9');
    for (const response of responses) {
      const remaining = Number(response.headers.get('x-ratelimit-remaining'));
      const expected = remaining < 2 ? 'true' : null;
      assert.equal(response.headers.get('x-ratelimit-nearlimit'), expected, `near-limit header with ${remaining} remaining`);
    }
  });
});

describe('error faults', () => {
  test('failNext by method and template', async (t) => {
    const simulator = await startSimulator(t);
    simulator.state.setFaults({
      failNext: [{ method: 'GET', path: '/rest/api/3/issue/{issueIdOrKey}', status: 503, count: 2, retryAfterSeconds: 7, headers: { 'X-Extra': 'yes' } }],
    });

    const search = await searchRequest(simulator);
    const first = await fetch(`${simulator.url}/rest/api/3/issue/CAT-1`);
    const second = await fetch(`${simulator.url}/rest/api/3/issue/10000`);
    const third = await fetch(`${simulator.url}/rest/api/3/issue/CAT-1`);

    assert.equal(search.status, 200);
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '7');
    assert.equal(first.headers.get('x-extra'), 'yes');
    assert.equal(second.status, 503);
    assert.equal(third.status, 200);
  });

  test('errorRate repeats for a seed', async (t) => {
    const simulator = await startSimulator(t);

    const run = async (): Promise<number[]> => {
      simulator.state.setFaults({ errorRate: 0.5, seed: 42 });
      const statuses: number[] = [];
      for (let index = 0; index < 20; index += 1) statuses.push((await searchRequest(simulator)).status);
      return statuses;
    };
    const first = await run();
    const second = await run();

    assert.deepEqual(first, second);
    assert.ok(first.some((status) => status >= 500), 'some requests failed');
    assert.ok(first.some((status) => status === 200), 'some requests passed');
  });

  test('errorRate outside 0..1 rejected', async (t) => {
    const simulator = await startSimulator(t);

    assert.throws(() => simulator.state.setFaults({ errorRate: 2 }), /errorRate/);
  });

  test('latency still answers', async (t) => {
    const simulator = await startSimulator(t, { latencyMs: 20 });

    const response = await searchRequest(simulator);

    assert.equal(response.status, 200);
    assert.equal(simulator.state.faults().latencyMs, 20);
  });

  test('setFaults replaces every fault', async (t) => {
    const simulator = await startSimulator(t);
    simulator.state.setFaults({ quotaExhaustedForSeconds: 30 });

    simulator.state.setFaults({});
    const response = await searchRequest(simulator);

    assert.equal(response.status, 200);
  });
});

describe('request counts', () => {
  test('counts by endpoint and status', async (t) => {
    const simulator = await startSimulator(t);

    await searchRequest(simulator);
    await searchRequest(simulator);
    await fetch(`${simulator.url}/rest/api/3/issue/CAT-1`);
    await fetch(`${simulator.url}/rest/api/3/issue/CAT-404`);
    await fetch(`${simulator.url}/_sim/state`);

    assert.deepEqual(simulator.state.requestCounts(), {
      total: 4,
      byEndpoint: { 'POST /rest/api/3/search/jql': 2, 'GET /rest/api/3/issue/{issueIdOrKey}': 2 },
      byStatus: { '200': 3, '404': 1 },
    });
  });

  test('injected failures are counted', async (t) => {
    const simulator = await startSimulator(t);
    simulator.state.setFaults({ failNext: [{ status: 500, count: 1 }] });

    await searchRequest(simulator);

    assert.deepEqual(simulator.state.requestCounts().byStatus, { '500': 1 });
  });

  test('reset clears counts', async (t) => {
    const simulator = await startSimulator(t);
    await searchRequest(simulator);

    simulator.state.resetRequestCounts();

    assert.deepEqual(simulator.state.requestCounts(), { total: 0, byEndpoint: {}, byStatus: {} });
  });
});
