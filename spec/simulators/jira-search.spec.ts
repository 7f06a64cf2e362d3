import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';

import { startJiraSimulator, type JiraSimulator, type JiraSimulatorOptions } from '../../src/simulators/jira/index.js';

interface SearchPage {
  issues: Array<{ id: string; key?: string; fields?: Record<string, unknown> }>;
  nextPageToken?: string;
  isLast: boolean;
  total?: number;
}

async function startSimulator(t: TestContext, options: JiraSimulatorOptions = {}): Promise<JiraSimulator> {
  const simulator = await startJiraSimulator(options);
  t.after(() => simulator.close());
  return simulator;
}

async function search(simulator: JiraSimulator, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${simulator.url}/rest/api/3/search/jql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function searchPage(simulator: JiraSimulator, body: Record<string, unknown>): Promise<SearchPage> {
  const { status, json } = await search(simulator, body);
  assert.equal(status, 200, JSON.stringify(json));
  return json as unknown as SearchPage;
}

function seed(simulator: JiraSimulator, count: number): void {
  simulator.state.load({
    projects: [{ key: 'CAT', name: 'Catalog' }, { key: 'OPS', name: 'Operations' }],
    issues: Array.from({ length: count }, (_, index) => ({ projectKey: 'CAT', summary: `Issue ${index + 1}` })),
  });
}

describe('search/jql paging', () => {
  test('pages 120 issues by nextPageToken', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 120);

    const pages: SearchPage[] = [];
    let token: string | undefined;
    do {
      const page = await searchPage(simulator, { jql: 'project = CAT', maxResults: 50, ...(token === undefined ? {} : { nextPageToken: token }) });
      pages.push(page);
      token = page.nextPageToken;
    } while (token !== undefined);

    assert.deepEqual(pages.map((page) => page.issues.length), [50, 50, 20]);
    assert.deepEqual(pages.map((page) => page.isLast), [false, false, true]);
    assert.equal(new Set(pages.flatMap((page) => page.issues.map((issue) => issue.id))).size, 120);
    assert.equal(pages[0]?.total, undefined);
  });

  test('default page size is 50', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 60);

    const page = await searchPage(simulator, { jql: 'project = CAT' });

    assert.equal(page.issues.length, 50);
    assert.equal(page.isLast, false);
  });

  test('page cap depends on fields', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 120);

    const withFields = await searchPage(simulator, { jql: 'project = CAT', maxResults: 500, fields: ['summary'] });
    const idsOnly = await searchPage(simulator, { jql: 'project = CAT', maxResults: 500, fields: ['id', 'key'] });

    assert.equal(withFields.issues.length, 100);
    assert.equal(idsOnly.issues.length, 120);
  });

  test('token of another query is rejected', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 60);
    const first = await searchPage(simulator, { jql: 'project = CAT' });

    const { status } = await search(simulator, { jql: 'project = OPS', nextPageToken: first.nextPageToken });

    assert.equal(status, 400);
  });

  test('GET form reads query parameters', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 3);

    const response = await fetch(`${simulator.url}/rest/api/3/search/jql?jql=${encodeURIComponent('project = CAT ORDER BY key DESC')}&fields=summary,key&maxResults=2`);
    const page = (await response.json()) as SearchPage;

    assert.equal(response.status, 200);
    assert.deepEqual(page.issues.map((issue) => issue.key), ['CAT-3', 'CAT-2']);
    assert.deepEqual(page.issues[0]?.fields, { summary: 'Issue 3' });
  });
});

describe('search/jql fields', () => {
  test('default fields is id only', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 1);

    const page = await searchPage(simulator, { jql: 'project = CAT' });

    assert.deepEqual(page.issues, [{ id: '10000' }]);
  });

  test('explicit list and exclusions', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 1);

    const listed = await searchPage(simulator, { jql: 'project = CAT', fields: ['summary', 'status'] });
    const excluded = await searchPage(simulator, { jql: 'project = CAT', fields: ['*all', '-comment', '-description'] });
    const navigable = await searchPage(simulator, { jql: 'project = CAT', fields: ['*navigable'] });

    assert.deepEqual(Object.keys(listed.issues[0]?.fields ?? {}).sort(), ['status', 'summary']);
    assert.equal(listed.issues[0]?.key, 'CAT-1');
    assert.equal('comment' in (excluded.issues[0]?.fields ?? {}), false);
    assert.equal('description' in (excluded.issues[0]?.fields ?? {}), false);
    assert.equal('summary' in (excluded.issues[0]?.fields ?? {}), true);
    assert.equal('comment' in (navigable.issues[0]?.fields ?? {}), false);
  });
});

describe('search/jql validation', () => {
  test('unbounded JQL is rejected', async (t) => {
    const simulator = await startSimulator(t);

    for (const jql of ['', 'ORDER BY key DESC']) {
      const { status, json } = await search(simulator, { jql });
      assert.equal(status, 400, `status for ${JSON.stringify(jql)}`);
      assert.match(String((json['errorMessages'] as string[])[0]), /Unbounded JQL/);
    }
  });

  test('ORDER BY in parentheses is 400', async (t) => {
    const simulator = await startSimulator(t);

    const { status, json } = await search(simulator, { jql: '(project = CAT ORDER BY updated DESC) AND issue = 10000' });

    assert.equal(status, 400);
    assert.match(String((json['errorMessages'] as string[])[0]), /Expecting '\)' but got 'ORDER'/);
  });

  test('invalid body is 400', async (t) => {
    const simulator = await startSimulator(t);

    const { status, json } = await search(simulator, { jql: 'project = CAT', maxResults: 'ten' });

    assert.equal(status, 400);
    assert.match(String((json['errorMessages'] as string[])[0]), /"maxResults" must be number/);
  });
});

describe('search/jql consistency', () => {
  test('index lag hides a new issue', async (t) => {
    const simulator = await startSimulator(t, { indexLagMs: 60_000 });
    seed(simulator, 1);

    const created = simulator.state.createIssue({ projectKey: 'CAT', summary: 'Fresh' });
    const lagged = await searchPage(simulator, { jql: `project = CAT` });
    const reconciled = await searchPage(simulator, { jql: 'project = CAT', reconcileIssues: [Number(created.id)] });

    assert.deepEqual(lagged.issues.map((issue) => issue.id), ['10000']);
    assert.deepEqual(reconciled.issues.map((issue) => issue.id), ['10000', created.id]);
  });

  test('index lag serves stale fields', async (t) => {
    const simulator = await startSimulator(t, { indexLagMs: 60_000 });
    seed(simulator, 1);

    simulator.state.updateIssue('CAT-1', { status: 'Done' });
    const lagged = await searchPage(simulator, { jql: 'statusCategory = Done' });
    const reconciled = await searchPage(simulator, { jql: 'statusCategory = Done', reconcileIssues: [10000] });

    assert.equal(lagged.issues.length, 0);
    assert.deepEqual(reconciled.issues.map((issue) => issue.id), ['10000']);
  });

  test('reconcile with a missing id is 400', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 1);

    const { status, json } = await search(simulator, { jql: 'project = CAT', reconcileIssues: [10000, 99999] });

    assert.equal(status, 400);
    assert.match(String((json['errorMessages'] as string[])[0]), /99999/);
  });

  test('reconcile over 50 ids is 400', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 51);

    const ids = Array.from({ length: 51 }, (_, index) => 10000 + index);
    const { status } = await search(simulator, { jql: 'project = CAT', reconcileIssues: ids });

    assert.equal(status, 400);
  });

  test('zero lag shows changes at once', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 1);

    simulator.state.createIssue({ projectKey: 'CAT', summary: 'Fresh' });
    const page = await searchPage(simulator, { jql: 'project = CAT' });

    assert.equal(page.issues.length, 2);
  });
});

describe('search/jql project states and moves', () => {
  test('moved issue found by old key', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 1);

    const moved = simulator.state.moveIssue('CAT-1', 'OPS');
    const byOldKey = await searchPage(simulator, { jql: 'key = CAT-1', fields: ['key'] });
    const response = await fetch(`${simulator.url}/rest/api/3/issue/CAT-1?fields=summary`);
    const fetched = (await response.json()) as { id: string; key: string };

    assert.equal(moved.key, 'OPS-1');
    assert.deepEqual(byOldKey.issues.map((issue) => issue.key), ['OPS-1']);
    assert.equal(response.status, 200);
    assert.equal(fetched.key, 'OPS-1');
    assert.equal(fetched.id, moved.id);
  });

  test('archived project issues excluded', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 2);

    simulator.state.archiveProject('CAT');
    const archived = await searchPage(simulator, { jql: 'project = CAT' });
    simulator.state.restoreArchivedProject('CAT');
    const restored = await searchPage(simulator, { jql: 'project = CAT' });

    assert.equal(archived.issues.length, 0);
    assert.equal(restored.issues.length, 2);
  });

  test('trashed project issues excluded', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 2);

    simulator.state.softDeleteProject('CAT');
    const trashed = await searchPage(simulator, { jql: 'project = CAT', reconcileIssues: [10000] });
    const issueResponse = await fetch(`${simulator.url}/rest/api/3/issue/CAT-1`);

    assert.equal(trashed.issues.length, 0);
    assert.equal(issueResponse.status, 404);
    assert.deepEqual(simulator.state.searchAll('project = CAT'), []);
  });

  test('purged project issues are gone', async (t) => {
    const simulator = await startSimulator(t);
    seed(simulator, 2);

    simulator.state.deleteProject('CAT');
    const { status } = await search(simulator, { jql: 'project = OPS', reconcileIssues: [10000] });

    assert.equal(status, 400);
    assert.equal(simulator.state.issues().length, 0);
  });
});
