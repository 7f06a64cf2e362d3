import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';

import { startJiraSimulator, type JiraSimulator, type JiraSimulatorOptions } from '../../src/simulators/jira/index.js';

const EMAIL = 'sync@example.com';
const API_TOKEN = 'spec-token';
const BASIC = `Basic ${Buffer.from(`${EMAIL}:${API_TOKEN}`).toString('base64')}`;

async function startSimulator(t: TestContext, options: JiraSimulatorOptions = {}): Promise<JiraSimulator> {
  const simulator = await startJiraSimulator(options);
  t.after(() => simulator.close());
  simulator.state.load({
    users: [{ accountId: 'u-ada', displayName: 'Ada', emailAddress: 'ada@example.com' }, { accountId: 'u-bob', displayName: 'Bob' }],
    projects: [{ key: 'CAT', name: 'Catalog', leadAccountId: 'u-ada', categoryName: 'Internal' }, { key: 'OPS', name: 'Operations' }],
    issues: [
      { projectKey: 'CAT', summary: 'Parent', assigneeAccountId: 'u-ada', description: 'First paragraph', created: '2026-12-01T10:00:00.000+0000' },
      { projectKey: 'CAT', summary: 'Child', issuetype: 'Subtask', parentId: '10000' },
    ],
  });
  return simulator;
}

async function getJson(simulator: JiraSimulator, path: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${simulator.url}${path}`, { headers });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

describe('authentication', () => {
  test('basic auth required when set', async (t) => {
    const simulator = await startSimulator(t, { auth: { email: EMAIL, apiToken: API_TOKEN } });

    const anonymous = await getJson(simulator, '/rest/api/3/issue/CAT-1');
    const wrong = await getJson(simulator, '/rest/api/3/issue/CAT-1', { authorization: `Basic ${Buffer.from(`${EMAIL}:nope`).toString('base64')}` });
    const right = await getJson(simulator, '/rest/api/3/issue/CAT-1', { authorization: BASIC });
    const admin = await getJson(simulator, '/_sim/state');

    assert.equal(anonymous.status, 401);
    assert.equal(wrong.status, 401);
    assert.equal(right.status, 200);
    assert.equal(admin.status, 200);
    assert.equal(simulator.state.requestCounts().byStatus['401'], 2);
  });

  test('bearer token accepted', async (t) => {
    const simulator = await startSimulator(t, { auth: { bearerToken: 'pat-123' } });

    const right = await getJson(simulator, '/rest/api/3/issue/CAT-1', { authorization: 'Bearer pat-123' });
    const basic = await getJson(simulator, '/rest/api/3/issue/CAT-1', { authorization: BASIC });

    assert.equal(right.status, 200);
    assert.equal(basic.status, 401);
  });

  test('non-loopback host rejected', async () => {
    await assert.rejects(startJiraSimulator({ host: '0.0.0.0' }), /loopback/);
  });
});

describe('issue endpoint', () => {
  test('REST v3 issue shape', async (t) => {
    const simulator = await startSimulator(t);

    const { status, json } = await getJson(simulator, '/rest/api/3/issue/10000');
    const fields = json['fields'] as Record<string, any>;

    assert.equal(status, 200);
    assert.equal(json['self'], `${simulator.url}/rest/api/3/issue/10000`);
    assert.equal(json['key'], 'CAT-1');
    assert.equal(fields['summary'], 'Parent');
    assert.equal(fields['created'], '2026-12-01T10:00:00.000+0000');
    assert.match(String(fields['updated']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    assert.deepEqual(fields['status']['statusCategory']['key'], 'new');
    assert.equal(fields['assignee']['accountId'], 'u-ada');
    assert.equal(fields['reporter'], null);
    assert.deepEqual(fields['project'], { ...fields['project'], id: '10000', key: 'CAT', name: 'Catalog' });
    assert.equal(fields['description']['type'], 'doc');
    assert.equal(fields['subtasks'][0]['key'], 'CAT-2');
    assert.equal(fields['resolutiondate'], null);
  });

  test('subtask carries parent', async (t) => {
    const simulator = await startSimulator(t);

    const { json } = await getJson(simulator, '/rest/api/3/issue/CAT-2?fields=parent,summary');

    assert.deepEqual(Object.keys(json['fields'] as object).sort(), ['parent', 'summary']);
    assert.equal((json['fields'] as { parent: { key: string } }).parent.key, 'CAT-1');
  });

  test('unknown issue is 404', async (t) => {
    const simulator = await startSimulator(t);

    const { status, json } = await getJson(simulator, '/rest/api/3/issue/CAT-99');

    assert.equal(status, 404);
    assert.deepEqual(json['errorMessages'], ['Issue does not exist or you do not have permission to see it.']);
  });

  test('renamed project key keeps aliases', async (t) => {
    const simulator = await startSimulator(t);

    simulator.state.updateProject('CAT', { key: 'KAT' });
    const byOldKey = await getJson(simulator, '/rest/api/3/issue/CAT-1');
    const project = await getJson(simulator, '/rest/api/3/project/CAT');

    assert.equal(byOldKey.json['key'], 'KAT-1');
    assert.equal(project.json['key'], 'KAT');
  });
});

describe('project endpoint', () => {
  test('id is a string and insight expands', async (t) => {
    const simulator = await startSimulator(t);

    const plain = await getJson(simulator, '/rest/api/3/project/CAT');
    const expanded = await getJson(simulator, '/rest/api/3/project/10000?expand=insight,lead');
    const insight = expanded.json['insight'] as { totalIssueCount: number; lastIssueUpdateTime: string };

    assert.equal(plain.json['id'], '10000');
    assert.equal(plain.json['insight'], undefined);
    assert.equal(plain.json['archived'], false);
    assert.equal((plain.json['lead'] as { accountId: string }).accountId, 'u-ada');
    assert.equal((plain.json['projectCategory'] as { name: string }).name, 'Internal');
    assert.equal(insight.totalIssueCount, 2);
    assert.match(insight.lastIssueUpdateTime, /\+0000$/);
  });

  test('archived is 200, trashed is 404', async (t) => {
    const simulator = await startSimulator(t);

    simulator.state.archiveProject('CAT');
    const archived = await getJson(simulator, '/rest/api/3/project/CAT');
    simulator.state.softDeleteProject('OPS');
    const trashed = await getJson(simulator, '/rest/api/3/project/OPS');

    assert.equal(archived.status, 200);
    assert.equal(archived.json['archived'], true);
    assert.equal(typeof archived.json['archivedDate'], 'string');
    assert.equal(trashed.status, 404);
  });
});

describe('user endpoints', () => {
  test('user by accountId', async (t) => {
    const simulator = await startSimulator(t);

    const found = await getJson(simulator, '/rest/api/3/user?accountId=u-ada');
    const missing = await getJson(simulator, '/rest/api/3/user?accountId=u-zed');
    const noParameter = await getJson(simulator, '/rest/api/3/user');

    assert.equal(found.status, 200);
    assert.equal(found.json['displayName'], 'Ada');
    assert.equal(found.json['emailAddress'], 'ada@example.com');
    assert.equal(missing.status, 404);
    assert.equal(noParameter.status, 400);
  });

  test('deleted user 404 or inactive', async (t) => {
    const simulator = await startSimulator(t);

    simulator.state.deleteUser('u-ada', { mode: 'inactive' });
    simulator.state.deleteUser('u-bob', { mode: '404' });
    const inactive = await getJson(simulator, '/rest/api/3/user?accountId=u-ada');
    const removed = await getJson(simulator, '/rest/api/3/user?accountId=u-bob');

    assert.equal(inactive.status, 200);
    assert.equal(inactive.json['active'], false);
    assert.equal(removed.status, 404);
  });

  test('bulk skips unknown ids', async (t) => {
    const simulator = await startSimulator(t);

    const { status, json } = await getJson(simulator, '/rest/api/3/user/bulk?accountId=u-ada&accountId=u-zed&accountId=u-bob');
    const values = json['values'] as Array<{ accountId: string }>;

    assert.equal(status, 200);
    assert.deepEqual(values.map((user) => user.accountId), ['u-ada', 'u-bob']);
    assert.equal(json['isLast'], true);
  });
});

describe('other endpoints', () => {
  test('jql/parse reports errors per query', async (t) => {
    const simulator = await startSimulator(t);

    const response = await fetch(`${simulator.url}/rest/api/3/jql/parse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ queries: ['project = CAT ORDER BY key', '(project = CAT ORDER BY key)', 'colour = red'] }),
    });
    const { queries } = (await response.json()) as { queries: Array<{ query: string; errors: string[] }> };

    assert.equal(response.status, 200);
    assert.deepEqual(queries[0]?.errors, []);
    assert.match(String(queries[1]?.errors[0]), /Expecting '\)' but got 'ORDER'/);
    assert.match(String(queries[2]?.errors[0]), /Field 'colour' does not exist/);
  });

  test('mypermissions follows admin option', async (t) => {
    const admin = await startSimulator(t);
    const user = await startSimulator(t, { admin: false });

    const granted = await getJson(admin, '/rest/api/3/mypermissions?permissions=ADMINISTER');
    const denied = await getJson(user, '/rest/api/3/mypermissions?permissions=ADMINISTER');
    const missing = await getJson(user, '/rest/api/3/mypermissions');

    assert.equal((granted.json['permissions'] as any).ADMINISTER.havePermission, true);
    assert.equal((denied.json['permissions'] as any).ADMINISTER.havePermission, false);
    assert.equal(missing.status, 400);
  });

  test('removed search is 410', async (t) => {
    const simulator = await startSimulator(t);

    const { status, json } = await getJson(simulator, '/rest/api/2/search?jql=project=CAT');

    assert.equal(status, 410);
    assert.match(String((json['errorMessages'] as string[])[0]), /migrate to the \/rest\/api\/3\/search\/jql API/);
  });

  test('wrong method is 405', async (t) => {
    const simulator = await startSimulator(t);

    const response = await fetch(`${simulator.url}/rest/api/3/issue/CAT-1`, { method: 'DELETE' });

    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET');
  });

  test('invalid JSON is 400', async (t) => {
    const simulator = await startSimulator(t);

    const response = await fetch(`${simulator.url}/rest/api/3/search/jql`, { method: 'POST', body: '{"jql":' });

    assert.equal(response.status, 400);
  });
});
