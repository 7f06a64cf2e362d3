import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';

import { JiraClient } from '../../src/jira/client.js';
import { startJiraSimulator, startWebhookReceiver, type JiraSimulator, type WebhookReceiver } from '../../src/simulators/jira/index.js';

const AUTH = { email: 'sync@example.com', apiToken: 'spec-token' };

interface Harness {
  simulator: JiraSimulator;
  receiver: WebhookReceiver;
  client: JiraClient;
}

async function start(t: TestContext): Promise<Harness> {
  const receiver = await startWebhookReceiver();
  t.after(() => receiver.close());
  const simulator = await startJiraSimulator({ auth: AUTH, webhook: { url: receiver.url }, webhookRetryDelayMs: 5 });
  t.after(() => simulator.close());
  simulator.state.load({
    users: [{ accountId: 'u-ada', displayName: 'Ada' }],
    projects: [{ key: 'CAT', name: 'Catalog' }, { key: 'OPS', name: 'Operations' }],
    issues: [{ projectKey: 'CAT', summary: 'First' }],
  });
  const client = new JiraClient({ baseUrl: simulator.url, auth: AUTH, retry: { limit: 0 } });
  return { simulator, receiver, client };
}

async function bodies(h: Harness): Promise<Array<Record<string, unknown>>> {
  await h.simulator.state.settled();
  return h.receiver.received.map((delivery) => delivery.json as Record<string, unknown>);
}

async function events(h: Harness): Promise<string[]> {
  return (await bodies(h)).map((body) => String(body['webhookEvent']));
}

describe('simulator versions', () => {
  test('version lifecycle events', async (t) => {
    const h = await start(t);
    const state = h.simulator.state;

    const version = state.createVersion({ projectKey: 'CAT', name: '1.0', releaseDate: '2026-12-01' });
    state.updateVersion(version.id, { description: 'First release' });
    state.releaseVersion(version.id);
    state.unreleaseVersion(version.id);
    state.createVersion({ projectKey: 'CAT', name: '1.1' });
    state.moveVersion(version.id, 'Last');
    state.deleteVersion(version.id);

    assert.deepEqual(await events(h), [
      'jira:version_created',
      'jira:version_updated',
      'jira:version_released',
      'jira:version_unreleased',
      'jira:version_created',
      'jira:version_moved',
      'jira:version_deleted',
    ]);
  });

  test('version REST shape', async (t) => {
    const h = await start(t);
    const created = h.simulator.state.createVersion({ projectKey: 'CAT', name: '1.0', releaseDate: '2000-01-02' });

    const fetched = await h.client.version(created.id);

    assert.equal(fetched?.id, created.id);
    assert.equal(fetched?.name, '1.0');
    assert.equal(fetched?.['projectId'], Number(h.simulator.state.projects()[0]?.id));
    assert.equal(fetched?.['releaseDate'], '2000-01-02');
    assert.equal(fetched?.['userReleaseDate'], '2/Jan/00');
    assert.equal(fetched?.['overdue'], true);
    assert.equal(fetched?.['self'], `${h.simulator.url}/rest/api/3/version/${created.id}`);
  });

  test('merge sends mergedTo', async (t) => {
    const h = await start(t);
    const merged = h.simulator.state.createVersion({ projectKey: 'CAT', name: '1.0' });
    const target = h.simulator.state.createVersion({ projectKey: 'CAT', name: '2.0' });

    h.simulator.state.mergeVersion(merged.id, target.id);
    const last = (await bodies(h)).at(-1) as { webhookEvent: string; version: { id: string }; mergedTo: { id: string } };

    assert.equal(last.webhookEvent, 'jira:version_deleted');
    assert.equal(last.version.id, merged.id);
    assert.equal(last.mergedTo.id, target.id);
    assert.equal(await h.client.version(merged.id), null);
  });

  test('merge across projects rejected', async (t) => {
    const h = await start(t);
    const merged = h.simulator.state.createVersion({ projectKey: 'CAT', name: '1.0' });
    const other = h.simulator.state.createVersion({ projectKey: 'OPS', name: '1.0' });

    assert.throws(() => h.simulator.state.mergeVersion(merged.id, other.id), /same project/);
  });

  test('versions of a trashed project are 404', async (t) => {
    const h = await start(t);
    const version = h.simulator.state.createVersion({ projectKey: 'CAT', name: '1.0' });

    h.simulator.state.softDeleteProject('CAT');

    assert.equal(await h.client.version(version.id), null);
  });
});

describe('simulator boards and sprints', () => {
  test('board REST shape and projects', async (t) => {
    const h = await start(t);
    const board = h.simulator.state.createBoard({ name: 'CAT board', type: 'scrum', projectKeys: ['CAT', 'OPS'] });

    const fetched = await h.client.board(String(board.id));
    const projects = await h.client.boardProjects(String(board.id));

    assert.equal(fetched?.id, 1);
    assert.equal(fetched?.type, 'scrum');
    assert.equal((fetched?.['location'] as { projectKey?: string } | undefined)?.projectKey, 'CAT');
    assert.deepEqual(projects?.map((project) => project.key), ['CAT', 'OPS']);
  });

  test('board projects skip trashed projects', async (t) => {
    const h = await start(t);
    const board = h.simulator.state.createBoard({ name: 'Both', type: 'kanban', projectKeys: ['CAT', 'OPS'] });

    h.simulator.state.softDeleteProject('OPS');

    assert.deepEqual((await h.client.boardProjects(String(board.id)))?.map((project) => project.key), ['CAT']);
  });

  test('board projects page by page', async (t) => {
    const h = await start(t);
    const keys = Array.from({ length: 60 }, (_, i) => `P${i}`);
    h.simulator.state.load({ projects: keys.map((key) => ({ key, name: key })) });
    const board = h.simulator.state.createBoard({ name: 'Wide', type: 'kanban', projectKeys: keys });
    h.simulator.state.resetRequestCounts();

    const projects = await h.client.boardProjects(String(board.id));

    assert.equal(projects?.length, 60);
    assert.equal(h.simulator.state.requestCounts().byEndpoint['GET /rest/agile/1.0/board/{boardId}/project'], 2);
  });

  test('board lifecycle events', async (t) => {
    const h = await start(t);
    const board = h.simulator.state.createBoard({ name: 'CAT board', type: 'scrum', projectKeys: ['CAT'] });
    const id = String(board.id);

    h.simulator.state.updateBoard(id, { name: 'Renamed' });
    h.simulator.state.changeBoardConfiguration(id, { projectKeys: ['OPS'] });
    h.simulator.state.deleteBoard(id);

    assert.deepEqual(await events(h), ['board_created', 'board_updated', 'board_configuration_changed', 'board_deleted']);
    assert.equal(await h.client.board(id), null);
  });

  test('sprint lifecycle events and states', async (t) => {
    const h = await start(t);
    const board = h.simulator.state.createBoard({ name: 'CAT board', type: 'scrum', projectKeys: ['CAT'] });
    const sprint = h.simulator.state.createSprint({ boardId: String(board.id), name: 'Sprint 1' });
    const id = String(sprint.id);

    h.simulator.state.updateSprint(id, { goal: 'Ship it' });
    h.simulator.state.startSprint(id);
    const active = await h.client.sprint(id);
    h.simulator.state.closeSprint(id);
    const closed = await h.client.sprint(id);
    h.simulator.state.deleteSprint(id);

    assert.equal(sprint.state, 'future');
    assert.equal(active?.state, 'active');
    assert.equal(closed?.state, 'closed');
    assert.equal(typeof closed?.['completeDate'], 'string');
    assert.equal(closed?.originBoardId, board.id);
    assert.equal(await h.client.sprint(id), null);
    assert.deepEqual(await events(h), ['board_created', 'sprint_created', 'sprint_updated', 'sprint_started', 'sprint_closed', 'sprint_deleted']);
  });

  test('kanban board has no sprints', async (t) => {
    const h = await start(t);
    const board = h.simulator.state.createBoard({ name: 'Flow', type: 'kanban', projectKeys: ['CAT'] });

    assert.throws(() => h.simulator.state.createSprint({ boardId: String(board.id), name: 'Sprint 1' }), /does not support sprints/);
  });

  test('closing a future sprint rejected', async (t) => {
    const h = await start(t);
    const board = h.simulator.state.createBoard({ name: 'CAT board', type: 'scrum', projectKeys: ['CAT'] });
    const sprint = h.simulator.state.createSprint({ boardId: String(board.id), name: 'Sprint 1' });

    assert.throws(() => h.simulator.state.closeSprint(String(sprint.id)), /only sprints in state active can be closed/);
  });
});

describe('simulator worklogs', () => {
  test('worklog lifecycle events', async (t) => {
    const h = await start(t);
    const issue = h.simulator.state.issues()[0];
    assert.ok(issue);

    const worklog = h.simulator.state.addWorklog(issue.key, { timeSpentSeconds: 5400, comment: 'Pairing' });
    h.simulator.state.updateWorklog(issue.key, worklog.id, { timeSpentSeconds: 7200 });
    h.simulator.state.deleteWorklog(issue.key, worklog.id);
    const sent = await bodies(h);

    assert.deepEqual(sent.map((body) => body['webhookEvent']), ['worklog_created', 'worklog_updated', 'worklog_deleted']);
    const first = sent[0]?.['worklog'] as { id: string; issueId: string; timeSpent: string; comment: unknown };
    assert.equal(first.issueId, issue.id);
    assert.equal(first.timeSpent, '1h 30m');
    assert.equal(first.comment, 'Pairing');
  });

  test('worklog REST shape', async (t) => {
    const h = await start(t);
    const issue = h.simulator.state.issues()[0];
    assert.ok(issue);
    const worklog = h.simulator.state.addWorklog(issue.id, { timeSpentSeconds: 3600 });

    const fetched = await h.client.worklog(issue.id, worklog.id);

    assert.equal(fetched?.id, worklog.id);
    assert.equal(fetched?.issueId, issue.id);
    assert.equal(fetched?.['timeSpentSeconds'], 3600);
    assert.equal(await h.client.worklog(issue.id, '99999'), null);
  });

  test('worklog moves issue updated', async (t) => {
    const h = await start(t);
    const before = h.simulator.state.issues()[0];
    assert.ok(before);

    h.simulator.state.addWorklog(before.id, { timeSpentSeconds: 600 });
    const after = h.simulator.state.issues()[0];

    assert.ok(String(after?.fields.updated) > String(before.fields.updated));
  });

  test('deleted issue takes its worklogs', async (t) => {
    const h = await start(t);
    const issue = h.simulator.state.issues()[0];
    assert.ok(issue);
    h.simulator.state.addWorklog(issue.id, { timeSpentSeconds: 600 });

    h.simulator.state.deleteIssue(issue.id);

    assert.deepEqual(h.simulator.state.worklogs(), []);
  });
});

describe('simulator Data Center users', () => {
  test('user events carry name and key', async (t) => {
    const h = await start(t);

    h.simulator.state.createUser({ displayName: 'Dee', name: 'dee', key: 'JIRAUSER10100', emailAddress: 'dee@example.com' });
    const user = (await bodies(h))[0]?.['user'] as Record<string, unknown>;

    assert.equal(user['name'], 'dee');
    assert.equal(user['key'], 'JIRAUSER10100');
    assert.equal(user['accountId'], undefined);
    assert.equal(user['self'], `${h.simulator.url}/rest/api/2/user?username=dee`);
  });

  test('lookup by key and username', async (t) => {
    const h = await start(t);
    h.simulator.state.createUser({ displayName: 'Dee', name: 'dee', key: 'JIRAUSER10100' });

    const byKey = await h.client.dataCenterUser({ key: 'JIRAUSER10100' });
    const byName = await h.client.dataCenterUser({ name: 'dee' });

    assert.equal(byKey?.displayName, 'Dee');
    assert.equal(byName?.key, 'JIRAUSER10100');
    assert.equal(await h.client.dataCenterUser({ key: 'JIRAUSER404' }), null);
  });

  test('name without key rejected', async (t) => {
    const h = await start(t);

    assert.throws(() => h.simulator.state.createUser({ displayName: 'Dee', name: 'dee' }), /both a non-empty name/);
  });
});

describe('simulator software admin API', () => {
  test('sprint over HTTP', async (t) => {
    const h = await start(t);
    const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
      const response = await fetch(`${h.simulator.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };

    const board = await call('POST', '/_sim/boards', { name: 'CAT board', type: 'scrum', projectKeys: ['CAT'] });
    const sprint = await call('POST', '/_sim/sprints', { boardId: String(board.json['id']), name: 'Sprint 1' });
    const started = await call('POST', `/_sim/sprints/${String(sprint.json['id'])}/start`);
    const invalid = await call('POST', '/_sim/boards', { name: 'Bad', type: 'list', projectKeys: ['CAT'] });

    assert.equal(board.status, 201);
    assert.equal(sprint.status, 201);
    assert.equal(started.json['state'], 'active');
    assert.equal(invalid.status, 400);
  });
});
