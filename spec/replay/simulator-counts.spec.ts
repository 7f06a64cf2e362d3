import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { countsBetween, fromPortCounts, jiraCountsAt } from '../../src/replay/simulator-counts.js';
import { SimulatorRequestError } from '../../src/replay/errors.js';
import { startJiraSimulator } from '../../src/simulators/jira/index.js';

describe('simulator counts', () => {
  test('Port counts sum by endpoint and status', () => {
    const summary = fromPortCounts({
      'POST /v1/blueprints/{bp}/entities/bulk': { '200': 3, '429': 1 },
      'POST /v1/auth/access_token': { '200': 1 },
    });
    assert.deepEqual(summary, {
      total: 5,
      byEndpoint: { 'POST /v1/blueprints/{bp}/entities/bulk': 4, 'POST /v1/auth/access_token': 1 },
      byStatus: { '200': 4, '429': 1 },
    });
  });

  test('difference keeps only what grew', () => {
    const before = { total: 3, byEndpoint: { a: 2, b: 1 }, byStatus: { '200': 3 } };
    const after = { total: 6, byEndpoint: { a: 2, b: 3, c: 1 }, byStatus: { '200': 5, '404': 1 } };
    assert.deepEqual(countsBetween(before, after), { total: 3, byEndpoint: { b: 2, c: 1 }, byStatus: { '200': 2, '404': 1 } });
  });

  test('Jira counts are read over HTTP', async (t) => {
    const jira = await startJiraSimulator();
    t.after(() => jira.close());
    await fetch(`${jira.url}/rest/api/3/myself`);

    const summary = await jiraCountsAt(jira.url)();
    assert.equal(summary.total, 1);
    assert.deepEqual(Object.keys(summary.byEndpoint), ['GET /rest/api/3/myself']);
  });

  test('error status names the URL', async (t) => {
    const server = createServer((_request, response) => response.writeHead(503).end('down for maintenance'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    await assert.rejects(jiraCountsAt(url)(), (error: unknown) => {
      assert.ok(error instanceof SimulatorRequestError);
      assert.equal(error.status, 503);
      assert.match(error.message, new RegExp(`${url}/_sim/requests responded with 503: down for maintenance`));
      return true;
    });
  });
});
