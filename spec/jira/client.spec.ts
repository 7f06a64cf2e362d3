import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test, type TestContext } from 'node:test';

import { createLogger } from '../../src/core/logger.js';
import { JiraClient, type JiraClientOptions, type JiraRequestInfo } from '../../src/jira/client.js';
import { JiraAuthError, JiraRequestError } from '../../src/jira/errors.js';
import { JiraRateLimiter } from '../../src/jira/rate-limiter.js';
import { startJiraSimulator, type JiraSimulator, type JiraSimulatorOptions } from '../../src/simulators/jira/index.js';

const EMAIL = 'sync@example.com';
const API_TOKEN = 'spec-api-token-5f1c';
const SEARCH = 'POST /rest/api/3/search/jql';

/** Starts a simulator with the test's credentials and closes it after the test. */
async function startSimulator(t: TestContext, options: JiraSimulatorOptions = {}): Promise<JiraSimulator> {
  const simulator = await startJiraSimulator({ host: '127.0.0.1', auth: { email: EMAIL, apiToken: API_TOKEN }, ...options });
  t.after(() => simulator.close());

  return simulator;
}

/** Creates a client for the simulator with fast backoff, so retry tests finish quickly. */
function clientFor(simulator: JiraSimulator, options: Partial<JiraClientOptions> = {}): JiraClient {
  return new JiraClient({
    baseUrl: simulator.url,
    auth: { email: EMAIL, apiToken: API_TOKEN },
    limiter: new JiraRateLimiter({ backoff: { baseMs: 5, maxMs: 50 } }),
    ...options,
  });
}

/** Loads project CAT with `count` issues and returns their ids in creation order. */
function seedIssues(simulator: JiraSimulator, count: number): string[] {
  simulator.state.load({
    projects: [{ key: 'CAT', name: 'Catalog' }],
    issues: Array.from({ length: count }, (_, index) => ({ projectKey: 'CAT', summary: `Issue ${index + 1}`, labels: ['seeded'] })),
  });

  return simulator.state.issues().map((issue) => issue.id);
}

function searchRequests(simulator: JiraSimulator): number {
  return simulator.state.requestCounts().byEndpoint[SEARCH] ?? 0;
}

describe('JiraClient.searchJql', () => {
  test('searchJql pages across pages', async (t) => {
    const simulator = await startSimulator(t);
    const ids = seedIssues(simulator, 120);
    const client = clientFor(simulator);

    const issues = await client.searchJql({ jql: 'project = CAT', maxResults: 50 });

    assert.deepEqual(issues.map((issue) => issue.id).sort(), [...ids].sort());
    assert.equal(searchRequests(simulator), 3);
  });

  test('searchJql forwards fields', async (t) => {
    const simulator = await startSimulator(t);
    seedIssues(simulator, 1);
    const client = clientFor(simulator);

    const [issue] = await client.searchJql({ jql: 'project = CAT', fields: ' summary , status ' });

    assert.deepEqual(Object.keys(issue?.fields ?? {}).sort(), ['status', 'summary']);
  });

  test('searchJql requests all fields by default', async (t) => {
    const simulator = await startSimulator(t);
    seedIssues(simulator, 1);
    const client = clientFor(simulator);

    const [issue] = await client.searchJql({ jql: 'project = CAT' });

    assert.deepEqual(issue?.fields['labels'], ['seeded']);
    assert.equal(typeof issue?.fields['summary'], 'string');
  });

  test('searchJql reports each request', async (t) => {
    const simulator = await startSimulator(t);
    seedIssues(simulator, 1);
    const requests: JiraRequestInfo[] = [];
    const client = clientFor(simulator, { onRequest: (info) => requests.push(info) });

    await client.searchJql({ jql: 'project = CAT' });

    assert.deepEqual(requests.map(({ endpoint, status }) => ({ endpoint, status })), [{ endpoint: SEARCH, status: 200 }]);
  });
});

describe('JiraClient.issuesById', () => {
  test('issuesById reconciles a just-created issue', async (t) => {
    const simulator = await startSimulator(t, { indexLagMs: 60_000 });
    seedIssues(simulator, 1);
    const created = simulator.state.createIssue({ projectKey: 'CAT', summary: 'Fresh' });
    const client = clientFor(simulator);

    const lagged = await client.searchJql({ jql: `issue = ${created.id}` });
    const reconciled = await client.issuesById([created.id], { jql: 'project = CAT' });

    assert.equal(lagged.length, 0, 'the lagged index does not have the new issue yet');
    assert.deepEqual(reconciled.map((issue) => issue.id), [created.id]);
  });

  test('issuesById applies the user JQL', async (t) => {
    const simulator = await startSimulator(t);
    const [first, second] = seedIssues(simulator, 2);
    simulator.state.updateIssue(second ?? '', { status: 'Done' });
    const client = clientFor(simulator);

    const issues = await client.issuesById([first ?? '', second ?? ''], { jql: 'status = Done OR labels = nothing ORDER BY key' });

    assert.deepEqual(issues.map((issue) => issue.id), [second]);
  });

  test('issuesById drops a deleted id inside a batch', async (t) => {
    const simulator = await startSimulator(t);
    const [first, deleted, last] = seedIssues(simulator, 3);
    simulator.state.deleteIssue(deleted ?? '');
    const client = clientFor(simulator);

    const issues = await client.issuesById([first ?? '', deleted ?? '', last ?? ''], { jql: 'project = CAT' });

    assert.deepEqual(issues.map((issue) => issue.id).sort(), [first, last].sort());
    assert.equal(searchRequests(simulator), 3, 'the rejected search, one of the index, one without the deleted id');
    assert.equal(simulator.state.requestCounts().byEndpoint['GET /rest/api/3/issue/{issueIdOrKey}'], 1, 'a GET only for the id the index lacks');
  });

  test('issuesById finds an issue of a restored project', async (t) => {
    const simulator = await startSimulator(t);
    const [id] = seedIssues(simulator, 1);
    const client = clientFor(simulator);
    simulator.state.softDeleteProject('CAT');
    const whileTrashed = await client.issuesById([id ?? ''], { jql: 'project = CAT' });

    simulator.state.restoreProject('CAT');
    const restored = await client.issuesById([id ?? ''], { jql: 'project = CAT' });

    assert.deepEqual(whileTrashed, []);
    assert.deepEqual(restored.map((issue) => issue.id), [id]);
  });

  test('issuesById leaves out ids reported deleted', async (t) => {
    const simulator = await startSimulator(t);
    const [live, deleted] = seedIssues(simulator, 2);
    simulator.state.deleteIssue(deleted ?? '');
    const client = clientFor(simulator);
    client.markIssueDeleted(deleted ?? '');
    simulator.state.resetRequestCounts();

    const issues = await client.issuesById([live ?? '', deleted ?? ''], { jql: 'project = CAT' });

    assert.deepEqual(issues.map((issue) => issue.id), [live]);
    assert.equal(searchRequests(simulator), 1, 'one search, without the deleted id');
    assert.equal(simulator.state.requestCounts().byStatus['400'] ?? 0, 0);
  });

  test('issuesById sends 50 ids per search', async (t) => {
    const simulator = await startSimulator(t);
    const ids = seedIssues(simulator, 120);
    const client = clientFor(simulator);

    const issues = await client.issuesById(ids, { fields: 'summary' });

    assert.equal(issues.length, 120);
    assert.equal(searchRequests(simulator), 3);
  });
});

describe('JiraClient other endpoints', () => {
  test('project returns the project', async (t) => {
    const simulator = await startSimulator(t);
    seedIssues(simulator, 2);
    const client = clientFor(simulator);

    const project = await client.project('CAT', 'insight');

    assert.equal(project?.key, 'CAT');
    assert.deepEqual((project?.['insight'] as { totalIssueCount?: number } | undefined)?.totalIssueCount, 2);
  });

  test('project returns null on 404', async (t) => {
    const simulator = await startSimulator(t);
    const client = clientFor(simulator);

    assert.equal(await client.project('NOPE'), null);
  });

  test('user returns null on 404', async (t) => {
    const simulator = await startSimulator(t);
    const client = clientFor(simulator);

    assert.equal(await client.user('712020:missing'), null);
  });

  test('user returns the user', async (t) => {
    const simulator = await startSimulator(t);
    const user = simulator.state.createUser({ displayName: 'Ada Lovelace' });
    const client = clientFor(simulator);

    const fetched = await client.user(user.accountId);

    assert.equal(fetched?.displayName, 'Ada Lovelace');
  });

  test('parseJql reports errors per query', async (t) => {
    const simulator = await startSimulator(t);
    const client = clientFor(simulator);

    const [valid, invalid] = await client.parseJql(['project = CAT', 'project = = CAT']);

    assert.deepEqual(valid?.errors, []);
    assert.ok((invalid?.errors.length ?? 0) > 0);
  });

  test('hasAdminPermission follows the simulator', async (t) => {
    const admin = await startSimulator(t);
    const user = await startSimulator(t, { admin: false });

    assert.equal(await clientFor(admin).hasAdminPermission(), true);
    assert.equal(await clientFor(user).hasAdminPermission(), false);
  });

  test('createAdminWebhook then listAdminWebhooks', async (t) => {
    const simulator = await startSimulator(t);
    const client = clientFor(simulator);

    await client.createAdminWebhook({ name: 'port', url: `${simulator.url}/integration/webhook`, events: ['jira:issue_created'] });
    const webhooks = await client.listAdminWebhooks();

    assert.deepEqual(webhooks.map((webhook) => webhook.name), ['port']);
  });

  test('createAdminWebhook without admin is JiraAuthError', async (t) => {
    const simulator = await startSimulator(t, { admin: false });
    const client = clientFor(simulator);

    const created = client.createAdminWebhook({ name: 'port', url: `${simulator.url}/integration/webhook`, events: ['jira:issue_created'] });

    await assert.rejects(created, (error: unknown) => {
      assert.ok(error instanceof JiraAuthError);
      assert.equal(error.status, 403);
      assert.match(error.message, /Administer Jira/);
      return true;
    });
  });
});

describe('JiraClient failures', () => {
  test('429 with Retry-After then success', async (t) => {
    const simulator = await startSimulator(t);
    seedIssues(simulator, 1);
    const statuses: Array<number | 'error'> = [];
    const client = clientFor(simulator, { onRequest: (info) => statuses.push(info.status) });
    simulator.state.setFaults({ failNext: [{ path: '/rest/api/3/search/jql', status: 429, count: 1, retryAfterSeconds: 1 }] });

    const issues = await client.searchJql({ jql: 'project = CAT' });

    assert.equal(issues.length, 1);
    assert.deepEqual(statuses, [429, 200]);
    assert.equal(client.limiter.stats().waits['rate-limited']?.waits, 1, 'one wait for the Retry-After pause');
    assert.equal(client.limiter.stats().waits['backoff'], undefined, 'no backoff on top of Retry-After');
  });

  test('quota pause applies to a second endpoint', async (t) => {
    const simulator = await startSimulator(t);
    seedIssues(simulator, 1);
    const user = simulator.state.createUser({ displayName: 'Grace Hopper' });
    let firstRateLimited: () => void = () => undefined;
    const rateLimited = new Promise<void>((resolve) => {
      firstRateLimited = resolve;
    });
    const client = clientFor(simulator, {
      onRequest: (info) => {
        if (info.status === 429) {
          firstRateLimited();
        }
      },
    });
    simulator.state.setFaults({ quotaExhaustedForSeconds: 1 });

    const project = client.project('CAT');
    await rateLimited;
    const fetchedUser = await client.user(user.accountId);

    assert.equal((await project)?.key, 'CAT');
    assert.equal(fetchedUser?.accountId, user.accountId);
    assert.equal(simulator.state.requestCounts().byEndpoint['GET /rest/api/3/user'], 1, 'the user call waited instead of hitting the quota');
  });

  test('gateway 429 waits for X-RateLimit-Reset', async (t) => {
    const simulator = await startSimulator(t);
    seedIssues(simulator, 1);
    const statuses: Array<number | 'error'> = [];
    const client = clientFor(simulator, { onRequest: (info) => statuses.push(info.status) });
    simulator.state.setFaults({ gateway429WithoutRetryAfter: 1 });

    const project = await client.project('CAT');

    assert.equal(project?.key, 'CAT');
    assert.deepEqual(statuses, [429, 200]);
    assert.equal(client.limiter.stats().waits['rate-limited']?.waits, 1);
    assert.equal(client.limiter.stats().waits['backoff'], undefined);
  });

  test('burst limit slows without failing', async (t) => {
    const simulator = await startSimulator(t);
    seedIssues(simulator, 1);
    const client = clientFor(simulator);
    simulator.state.setFaults({ burstLimitPerSecond: 5 });

    const projects = await Promise.all(Array.from({ length: 12 }, () => client.project('CAT')));

    assert.ok((simulator.state.requestCounts().byStatus['429'] ?? 0) > 0, 'the burst limit was reached');
    assert.equal(projects.filter((project) => project?.key === 'CAT').length, 12);
  });

  test('timeouts exhausted is JiraRequestError', async (t) => {
    const simulator = await startSimulator(t, { latencyMs: 300 });
    const client = clientFor(simulator, { timeoutMs: 50, retry: { limit: 1 } });

    const fetched = client.project('CAT');

    await assert.rejects(fetched, (error: unknown) => {
      assert.ok(error instanceof JiraRequestError);
      assert.equal(error.status, undefined);
      assert.equal(error.attempts, 2);
      assert.equal((error.cause as Error | undefined)?.name, 'TimeoutError');
      return true;
    });
  });

  test('5xx retries exhausted is JiraRequestError', async (t) => {
    const simulator = await startSimulator(t);
    const client = clientFor(simulator, { retry: { limit: 2 } });
    simulator.state.setFaults({ failNext: [{ method: 'GET', path: '/rest/api/3/project/{projectIdOrKey}', status: 503, count: 5 }] });

    const fetched = client.project('CAT');

    await assert.rejects(fetched, (error: unknown) => {
      assert.ok(error instanceof JiraRequestError);
      assert.equal(error.status, 503);
      assert.equal(error.endpoint, '/rest/api/3/project/{projectIdOrKey}');
      assert.equal(error.method, 'GET');
      assert.equal(error.attempts, 3);
      return true;
    });
  });

  test('400 fails at once', async (t) => {
    const simulator = await startSimulator(t);
    const client = clientFor(simulator);

    const search = client.searchJql({ jql: 'project = = CAT' });

    await assert.rejects(search, (error: unknown) => {
      assert.ok(error instanceof JiraRequestError);
      assert.equal(error.status, 400);
      assert.equal(error.attempts, 1);
      assert.ok(error.errorMessages.length > 0);
      return true;
    });
  });

  test('401 is JiraAuthError', async (t) => {
    const simulator = await startSimulator(t);
    const client = new JiraClient({ baseUrl: simulator.url, auth: { email: EMAIL, apiToken: 'wrong-token' } });

    const fetched = client.project('CAT');

    await assert.rejects(fetched, (error: unknown) => {
      assert.ok(error instanceof JiraAuthError);
      assert.equal(error.status, 401);
      assert.equal(error.attempts, 1);
      assert.match(error.message, /API token/);
      assert.doesNotMatch(error.message, /wrong-token/);
      return true;
    });
  });

  test('retry logs omit the token', async (t) => {
    const simulator = await startSimulator(t);
    seedIssues(simulator, 1);
    const destination = new PassThrough();
    const chunks: string[] = [];
    destination.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    const client = clientFor(simulator, { logger: createLogger({ level: 'debug', destination }) });
    simulator.state.setFaults({ failNext: [{ path: '/rest/api/3/search/jql', status: 500, count: 1 }] });

    await client.searchJql({ jql: 'project = CAT' });
    const logs = chunks.join('');

    assert.match(logs, /retrying/);
    assert.doesNotMatch(logs, new RegExp(API_TOKEN));
    assert.doesNotMatch(logs, /Basic /);
  });
});
