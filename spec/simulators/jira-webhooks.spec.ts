import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';

import { verifySignature } from '../../src/ingress/signature.js';
import {
  startJiraSimulator,
  startWebhookReceiver,
  type JiraSimulator,
  type JiraSimulatorOptions,
  type WebhookReceiver,
} from '../../src/simulators/jira/index.js';

const SECRET = 'spec-webhook-secret';

interface Harness {
  simulator: JiraSimulator;
  receiver: WebhookReceiver;
}

async function start(t: TestContext, options: JiraSimulatorOptions = {}): Promise<Harness> {
  const receiver = await startWebhookReceiver();
  t.after(() => receiver.close());
  const simulator = await startJiraSimulator({ webhook: { url: receiver.url, secret: SECRET }, webhookRetryDelayMs: 5, ...options });
  t.after(() => simulator.close());
  simulator.state.load({
    users: [{ accountId: 'u-ada', displayName: 'Ada' }],
    projects: [{ key: 'CAT', name: 'Catalog' }, { key: 'OPS', name: 'Operations' }],
  });
  return { simulator, receiver };
}

function bodies(receiver: WebhookReceiver): Array<Record<string, unknown>> {
  return receiver.received.map((delivery) => delivery.json as Record<string, unknown>);
}

function events(receiver: WebhookReceiver): string[] {
  return bodies(receiver).map((body) => String(body['webhookEvent']));
}

describe('webhook delivery', () => {
  test('issue created is signed', async (t) => {
    const { simulator, receiver } = await start(t);

    const issue = simulator.state.createIssue({ projectKey: 'CAT', summary: 'Signed' });
    await simulator.state.settled();

    const delivery = receiver.received[0];
    assert.ok(delivery);
    assert.deepEqual(verifySignature(SECRET, delivery.body, delivery.headers['x-hub-signature'] as string), { ok: true });
    assert.equal(delivery.headers['content-type'], 'application/json; charset=UTF-8');
    assert.equal(delivery.headers['user-agent'], 'Atlassian Webhook HTTP Client');
    assert.equal(delivery.headers['x-atlassian-webhook-flow'], 'Primary');
    assert.match(String(delivery.headers['x-atlassian-webhook-identifier']), /^[0-9a-f-]{36}$/);
    assert.equal(delivery.headers['x-atlassian-webhook-retry'], undefined);

    const body = delivery.json as { webhookEvent: string; issue_event_type_name: string; timestamp: number; issue: { id: string; self: string; fields: { description: unknown } } };
    assert.equal(body.webhookEvent, 'jira:issue_created');
    assert.equal(body.issue_event_type_name, 'issue_created');
    assert.equal(typeof body.timestamp, 'number');
    assert.equal(body.issue.id, issue.id);
    assert.equal(body.issue.self, `${simulator.url}/rest/api/2/${issue.id}`);
  });

  test('no secret means no signature', async (t) => {
    const { simulator, receiver } = await start(t);
    simulator.state.setWebhook({ url: receiver.url });

    simulator.state.createIssue({ projectKey: 'CAT', summary: 'Unsigned' });
    await simulator.state.settled();

    assert.equal(receiver.received[0]?.headers['x-hub-signature'], undefined);
  });

  test('retries 503 with same identifier', async (t) => {
    const { simulator, receiver } = await start(t);
    receiver.respondWith([503, 503]);

    simulator.state.createIssue({ projectKey: 'CAT', summary: 'Retried' });
    await simulator.state.settled();

    const identifiers = receiver.received.map((delivery) => delivery.headers['x-atlassian-webhook-identifier']);
    assert.equal(receiver.received.length, 3);
    assert.equal(new Set(identifiers).size, 1);
    assert.deepEqual(receiver.received.map((delivery) => delivery.headers['x-atlassian-webhook-retry']), [undefined, '1', '2']);
    assert.equal(simulator.state.sentWebhooks()[0]?.outcome, 'delivered');
  });

  test('retries stop after five', async (t) => {
    const { simulator, receiver } = await start(t);
    receiver.respondWith([500, 502, 429, 408, 409, 425]);

    simulator.state.createIssue({ projectKey: 'CAT', summary: 'Exhausted' });
    await simulator.state.settled();

    assert.equal(receiver.received.length, 6);
    assert.equal(simulator.state.sentWebhooks()[0]?.outcome, 'failed');
  });

  test('400 is not retried', async (t) => {
    const { simulator, receiver } = await start(t);
    receiver.respondWith([400]);

    simulator.state.createIssue({ projectKey: 'CAT', summary: 'Rejected' });
    await simulator.state.settled();

    assert.equal(receiver.received.length, 1);
    assert.equal(simulator.state.sentWebhooks()[0]?.outcome, 'rejected');
  });

  test('connection failure is retried', async (t) => {
    const receiver = await startWebhookReceiver();
    const deadUrl = receiver.url;
    await receiver.close();
    const simulator = await startJiraSimulator({ webhook: { url: deadUrl }, webhookRetryDelayMs: 1 });
    t.after(() => simulator.close());
    simulator.state.load({ projects: [{ key: 'CAT', name: 'Catalog' }] });

    simulator.state.createIssue({ projectKey: 'CAT', summary: 'Nobody listens' });
    await simulator.state.settled();

    const sent = simulator.state.sentWebhooks()[0];
    assert.equal(sent?.outcome, 'failed');
    assert.equal(sent?.attempts.length, 6);
    assert.ok(sent?.attempts.every((attempt) => attempt.error !== undefined));
  });

  test('non-loopback target is rejected', async (t) => {
    const { simulator } = await start(t);

    assert.throws(() => simulator.state.setWebhook({ url: 'http://192.0.2.10/webhook' }), /loopback/);
  });
});

describe('webhook bodies', () => {
  test('update carries changelog items', async (t) => {
    const { simulator, receiver } = await start(t);
    const issue = simulator.state.createIssue({ projectKey: 'CAT', summary: 'Before' });

    const updated = simulator.state.updateIssue(issue.id, { summary: 'After', status: 'Done', assigneeAccountId: 'u-ada' });
    await simulator.state.settled();

    const body = bodies(receiver)[1] as { webhookEvent: string; issue_event_type_name: string; changelog: { items: Array<Record<string, unknown>> } };
    const fields = body.changelog.items.map((item) => item['field']);
    assert.equal(body.webhookEvent, 'jira:issue_updated');
    assert.equal(body.issue_event_type_name, 'issue_generic');
    assert.deepEqual(fields, ['summary', 'resolution', 'status', 'assignee']);
    assert.equal(body.changelog.items[3]?.['to'], 'u-ada');
    assert.ok(String(updated.fields.updated) > String(issue.fields.updated));
  });

  test('updated strictly increases', async (t) => {
    const { simulator } = await start(t);
    const issue = simulator.state.createIssue({ projectKey: 'CAT', summary: 'v0' });

    const stamps = [String(issue.fields.updated)];
    for (let version = 1; version <= 5; version += 1) {
      stamps.push(String(simulator.state.updateIssue(issue.id, { summary: `v${version}` }).fields.updated));
    }

    for (let index = 1; index < stamps.length; index += 1) {
      assert.ok(stamps[index]! > stamps[index - 1]!, `${stamps[index]} after ${stamps[index - 1]}`);
    }
  });

  test('no-op update sends nothing', async (t) => {
    const { simulator, receiver } = await start(t);
    const issue = simulator.state.createIssue({ projectKey: 'CAT', summary: 'Same' });

    simulator.state.updateIssue(issue.id, { summary: 'Same' });
    await simulator.state.settled();

    assert.deepEqual(events(receiver), ['jira:issue_created']);
  });

  test('move carries Key and project items', async (t) => {
    const { simulator, receiver } = await start(t);
    simulator.state.createIssue({ projectKey: 'CAT', summary: 'Mover' });

    simulator.state.moveIssue('CAT-1', 'OPS');
    await simulator.state.settled();

    const body = bodies(receiver)[1] as { issue_event_type_name: string; issue: { key: string }; changelog: { items: Array<Record<string, unknown>> } };
    assert.equal(body.issue_event_type_name, 'issue_moved');
    assert.equal(body.issue.key, 'OPS-1');
    assert.deepEqual(body.changelog.items[0], { field: 'Key', fieldtype: 'jira', from: null, fromString: 'CAT-1', to: null, toString: 'OPS-1' });
    assert.equal(body.changelog.items[1]?.['field'], 'project');
    assert.equal(body.changelog.items[1]?.['toString'], 'Operations');
  });

  test('comment sends reduced issue', async (t) => {
    const { simulator, receiver } = await start(t);
    simulator.state.createIssue({ projectKey: 'CAT', summary: 'Commented' });

    simulator.state.addComment('CAT-1', 'Looks good');
    await simulator.state.settled();

    const body = bodies(receiver)[1] as { webhookEvent: string; user?: unknown; comment: { body: unknown }; issue: { fields: Record<string, unknown> } };
    assert.equal(body.webhookEvent, 'comment_created');
    assert.equal(body.user, undefined);
    assert.equal(body.comment.body, 'Looks good');
    assert.deepEqual(Object.keys(body.issue.fields).sort(), ['assignee', 'issuetype', 'priority', 'project', 'status', 'summary']);
  });

  test('issue delete sends the old issue', async (t) => {
    const { simulator, receiver } = await start(t);
    const issue = simulator.state.createIssue({ projectKey: 'CAT', summary: 'Doomed' });

    simulator.state.deleteIssue(issue.id);
    await simulator.state.settled();

    const body = bodies(receiver)[1] as { webhookEvent: string; issue: { id: string } };
    assert.equal(body.webhookEvent, 'jira:issue_deleted');
    assert.equal(body.issue.id, issue.id);
  });

  test('project soft delete sends one event', async (t) => {
    const { simulator, receiver } = await start(t);
    simulator.state.load({ issues: [{ projectKey: 'CAT', summary: 'One' }, { projectKey: 'CAT', summary: 'Two' }] });

    simulator.state.softDeleteProject('CAT');
    await simulator.state.settled();

    const body = bodies(receiver)[0] as { project: { id: unknown; key: string } };
    assert.deepEqual(events(receiver), ['project_soft_deleted']);
    assert.equal(typeof body.project.id, 'number');
    assert.equal(body.project.key, 'CAT');
  });

  test('project lifecycle events', async (t) => {
    const { simulator, receiver } = await start(t);

    simulator.state.createProject({ key: 'NEW', name: 'New' });
    simulator.state.updateProject('NEW', { name: 'Renamed' });
    simulator.state.archiveProject('NEW');
    simulator.state.restoreArchivedProject('NEW');
    simulator.state.softDeleteProject('NEW');
    simulator.state.restoreProject('NEW');
    simulator.state.deleteProject('NEW');
    await simulator.state.settled();

    assert.deepEqual(new Set(events(receiver)), new Set([
      'project_created',
      'project_updated',
      'project_archived',
      'project_restored_archived',
      'project_soft_deleted',
      'project_restored_deleted',
      'project_deleted',
    ]));
  });

  test('user events', async (t) => {
    const { simulator, receiver } = await start(t);

    const user = simulator.state.createUser({ displayName: 'Grace' });
    simulator.state.updateUser(user.accountId, { displayName: 'Grace H.' });
    simulator.state.deleteUser(user.accountId, { mode: 'inactive' });
    await simulator.state.settled();

    const deleted = bodies(receiver).find((body) => body['webhookEvent'] === 'user_deleted') as { user: { active: boolean; emailAddress?: string } };
    assert.deepEqual(new Set(events(receiver)), new Set(['user_created', 'user_updated', 'user_deleted']));
    assert.equal(deleted.user.active, false);
    assert.equal(simulator.state.users().find((stored) => stored.accountId === user.accountId)?.active, false);
  });

  test('load sends no webhooks', async (t) => {
    const { simulator } = await start(t);

    simulator.state.load({ issues: [{ projectKey: 'CAT', summary: 'Quiet' }] });
    await simulator.state.settled();

    assert.equal(simulator.state.sentWebhooks().length, 0);
  });
});

describe('registered admin webhooks', () => {
  test('registration filters by events and JQL', async (t) => {
    const { simulator } = await start(t);
    simulator.state.setWebhook(null);
    const registered = await startWebhookReceiver();
    t.after(() => registered.close());

    const response = await fetch(`${simulator.url}/rest/webhooks/1.0/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'spec',
        url: `${registered.url}/\${issue.key}`,
        events: ['jira:issue_created'],
        filters: { 'issue-related-events-section': 'project = OPS' },
        secret: SECRET,
      }),
    });
    simulator.state.createIssue({ projectKey: 'CAT', summary: 'Filtered out' });
    simulator.state.createIssue({ projectKey: 'OPS', summary: 'Delivered' });
    simulator.state.updateIssue('OPS-1', { summary: 'Not subscribed' });
    await simulator.state.settled();

    const created = (await response.json()) as { isSigned: boolean; secret?: string };
    assert.equal(response.status, 201);
    assert.equal(created.isSigned, true);
    assert.equal(created.secret, undefined);
    assert.equal(registered.received.length, 1);
    assert.equal((registered.received[0]?.json as { issue: { key: string } }).issue.key, 'OPS-1');
    assert.equal(simulator.state.sentWebhooks()[0]?.url, `${registered.url}/OPS-1`);
  });

  test('registration needs admin', async (t) => {
    const { simulator } = await start(t, { admin: false });

    const response = await fetch(`${simulator.url}/rest/webhooks/1.0/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'spec', url: 'http://127.0.0.1:9/hook', events: ['jira:issue_created'] }),
    });

    assert.equal(response.status, 403);
  });

  test('registration rejects other hosts', async (t) => {
    const { simulator } = await start(t);

    const response = await fetch(`${simulator.url}/rest/webhooks/1.0/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'spec', url: 'http://example.com/hook', events: ['jira:issue_created'] }),
    });

    assert.equal(response.status, 400);
  });
});
