import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { startHarness } from './port-helpers.js';

const BULK_TEMPLATE = '/v1/blueprints/{bp}/entities/bulk';

describe('port simulator faults', async () => {
  const { simulator, call } = await startHarness();
  after(() => simulator.close());
  beforeEach(() => simulator.state.reset());

  const upsert = () => call('POST', '/v1/blueprints/jiraIssue/entities/bulk?upsert=true', { entities: [{ identifier: 'PROJ-1' }] });

  it('fails the next matching requests', async () => {
    simulator.state.setFaults({ failNext: [{ method: 'POST', path: BULK_TEMPLATE, status: 503, count: 2, retryAfterSeconds: 3 }] });

    const statuses = [(await upsert()).status, (await upsert()).status, (await upsert()).status];
    const otherRoute = await call('GET', '/v1/blueprints/jiraIssue/entities');

    assert.deepEqual(statuses, [503, 503, 200]);
    assert.equal(otherRoute.status, 200);
  });

  it('sends Retry-After on an injected failure', async () => {
    simulator.state.setFaults({ failNext: [{ path: BULK_TEMPLATE, status: 429, retryAfterSeconds: 3 }] });

    const reply = await upsert();

    assert.equal(reply.status, 429);
    assert.equal(reply.headers.get('retry-after'), '3');
  });

  it('matches a concrete path', async () => {
    simulator.state.setFaults({ failNext: [{ path: '/v1/blueprints/jiraIssue/entities/bulk', status: 500 }] });

    const reply = await upsert();

    assert.equal(reply.status, 500);
  });

  it('repeats random failures for one seed', async () => {
    const run = async () => {
      simulator.state.setFaults({ randomErrorRate: 0.5, seed: 42 });
      const statuses: number[] = [];
      for (let index = 0; index < 20; index += 1) {
        statuses.push((await upsert()).status);
      }
      return statuses;
    };

    const first = await run();
    const second = await run();

    assert.deepEqual(first, second);
    assert.ok(first.includes(503), 'some requests fail');
    assert.ok(first.includes(200), 'some requests pass');
  });

  it('limits requests per second with 429', async () => {
    simulator.state.setFaults({ rateLimit: { requestsPerSecond: 2 } });

    const replies = [await upsert(), await upsert(), await upsert()];

    assert.deepEqual(replies.map((reply) => reply.status).slice(0, 2), [200, 200]);
    assert.equal(replies[2]?.status, 429);
    assert.ok(Number(replies[2]?.headers.get('retry-after')) >= 1);
    assert.equal(replies[2]?.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(replies[2]?.headers.get('x-ratelimit-period'), '1');
  });

  it('sends the reset as an epoch when asked', async () => {
    simulator.state.setFaults({ rateLimit: { requestsPerSecond: 100, resetFormat: 'epoch' } });

    const reply = await upsert();

    assert.ok(Number(reply.headers.get('x-ratelimit-reset')) > Date.now() / 1000);
  });

  it('sends rate-limit headers on every response', async () => {
    const replies = [await upsert(), await call('GET', '/v1/blueprints/nothing'), await call('GET', '/v1/nowhere')];

    for (const reply of replies) {
      for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-period']) {
        assert.ok(reply.headers.has(header), `${header} on a ${reply.status} response`);
      }
    }
  });

  it('counts requests by endpoint and status', async () => {
    simulator.state.setFaults({ failNext: [{ path: BULK_TEMPLATE, status: 502 }] });

    await upsert();
    await upsert();
    await call('GET', '/v1/blueprints/jiraIssue/entities/PROJ-1');

    assert.deepEqual(simulator.state.requestCounts(), {
      'POST /v1/blueprints/{bp}/entities/bulk': { 200: 1, 502: 1 },
      'GET /v1/blueprints/{bp}/entities/{id}': { 200: 1 },
    });
  });

  it('rejects an invalid error rate', () => {
    assert.throws(() => simulator.state.setFaults({ randomErrorRate: 2 }), RangeError);
  });
});
