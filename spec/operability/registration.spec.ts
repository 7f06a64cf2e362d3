import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { JiraClient } from '../../src/jira/client.js';
import { registerWebhook } from '../../src/registration/register-webhook.js';
import { ISSUE_EVENTS_FILTER, type WebhookPlan } from '../../src/registration/webhook-plan.js';
import { startService } from '../../src/service/service.js';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira/index.js';
import { startPortSimulator } from '../../src/simulators/port/index.js';
import { JIRA_EMAIL, JIRA_TOKEN, TEST_SECRET } from '../support/harness.js';
import { serviceConfig } from '../support/service-harness.js';
import { freePort } from './free-port.js';
import { captureLogs } from './log-capture.js';

const PLAN: WebhookPlan = {
  name: 'jira-port-stream',
  url: 'http://127.0.0.1:9/integration/webhook',
  events: ['jira:issue_created', 'jira:issue_updated', 'project_created'],
  jqlFilter: 'project = CAT',
  secret: 'registration-secret',
};

function clientFor(jira: JiraSimulator, baseUrl = jira.url): JiraClient {
  return new JiraClient({ baseUrl, auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN }, retry: { limit: 0 } });
}

describe('registerWebhook', () => {
  let jira: JiraSimulator;

  before(async () => {
    jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN } });
  });
  beforeEach(() => jira.state.dispatcher.registry.clear());
  after(() => jira.close());

  test('creates the webhook with events, filter and secret', async () => {
    const outcome = await registerWebhook(clientFor(jira), PLAN, captureLogs().logger);
    const [registered] = jira.state.dispatcher.registry.list();

    assert.equal(outcome.status, 'created');
    assert.equal(registered?.url, PLAN.url);
    assert.deepEqual(registered?.events, PLAN.events);
    assert.deepEqual(registered?.filters, { [ISSUE_EVENTS_FILTER]: 'project = CAT' });
    assert.equal(registered?.secret, 'registration-secret');
    assert.equal(registered?.excludeBody, false);
  });

  test('second run creates no duplicate', async () => {
    await registerWebhook(clientFor(jira), PLAN, captureLogs().logger);
    const outcome = await registerWebhook(clientFor(jira), PLAN, captureLogs().logger);

    assert.equal(outcome.status, 'registered');
    assert.equal(jira.state.dispatcher.registry.list().length, 1);
  });

  test('URL match ignores a trailing slash', async () => {
    jira.state.dispatcher.registry.register({ name: 'by hand', url: `${PLAN.url}/`, events: PLAN.events, filters: { [ISSUE_EVENTS_FILTER]: 'project = CAT' }, secret: 's' });

    const outcome = await registerWebhook(clientFor(jira), PLAN, captureLogs().logger);

    assert.equal(outcome.status, 'registered');
    assert.equal(jira.state.dispatcher.registry.list().length, 1);
  });

  test('differing webhook is left as it is', async () => {
    jira.state.dispatcher.registry.register({ name: 'by hand', url: PLAN.url, events: ['jira:issue_created', 'user_created'], filters: { [ISSUE_EVENTS_FILTER]: 'project = OLD' }, enabled: false });
    const logs = captureLogs();

    const outcome = await registerWebhook(clientFor(jira), PLAN, logs.logger);
    const [registered] = jira.state.dispatcher.registry.list();
    const warned = logs.lines().filter((line) => line['msg'] === 'registered Jira webhook differs from the configuration').map((line) => line['problem']);

    assert.equal(outcome.status, 'registered');
    assert.deepEqual(registered?.events, ['jira:issue_created', 'user_created']);
    assert.equal(registered?.enabled, false);
    assert.deepEqual(warned, [
      'events the mapping needs are not subscribed: jira:issue_updated, project_created',
      'events no configured kind needs are subscribed: user_created',
      'the JQL filter is "project = OLD", the configuration asks for "project = CAT"',
      'the webhook is disabled, so Jira sends nothing',
      'the webhook has no secret, so its deliveries fail the signature check (401)',
    ]);
  });

  test('duplicates warn', async () => {
    for (const name of ['first', 'second']) jira.state.dispatcher.registry.register({ name, url: PLAN.url, events: PLAN.events, filters: { [ISSUE_EVENTS_FILTER]: 'project = CAT' }, secret: 's' });
    const logs = captureLogs();

    const outcome = await registerWebhook(clientFor(jira), PLAN, logs.logger);
    const warning = logs.lines().find((line) => line['duplicates'] === 1);

    assert.equal(outcome.status, 'registered');
    assert.equal(warning?.['level'], 40);
  });

  test('failure is returned, not thrown', async () => {
    const logs = captureLogs();

    const closedUrl = `http://127.0.0.1:${await freePort()}`;

    const outcome = await registerWebhook(clientFor(jira, closedUrl), PLAN, logs.logger);

    assert.equal(outcome.status, 'failed');
    assert.ok(logs.lines().some((line) => line['level'] === 50 && String(line['msg']).startsWith('Jira webhook registration failed')));
  });

  test('secret is never logged', async () => {
    const logs = captureLogs();

    await registerWebhook(clientFor(jira), PLAN, logs.logger);

    assert.doesNotMatch(logs.text(), /registration-secret/);
  });
});

describe('registerWebhook without admin permission', () => {
  test('warns and creates nothing', async (t) => {
    const jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN }, admin: false });
    t.after(() => jira.close());
    const logs = captureLogs();

    const outcome = await registerWebhook(clientFor(jira), PLAN, logs.logger);
    const warning = logs.lines().find((line) => line['level'] === 40);

    assert.equal(outcome.status, 'no-permission');
    assert.equal(jira.state.dispatcher.registry.list().length, 0);
    assert.match(String(warning?.['msg']), /lacks the Administer Jira global permission; create the webhook by hand/);
  });
});

describe('serve with webhook.publicUrl', () => {
  test('registers once and receives deliveries', async (t) => {
    const jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN } });
    const port = await startPortSimulator();
    const dataDir = mkdtempSync(join(tmpdir(), 'jps-registration-'));
    t.after(async () => {
      await jira.close();
      await port.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const listenPort = await freePort();
    const base = serviceConfig(jira, port, dataDir);
    const config = { ...base, server: { host: '127.0.0.1', port: listenPort }, webhook: { ...base.webhook, publicUrl: `http://127.0.0.1:${listenPort}` } };

    const first = await startService(config, captureLogs().logger);
    const created = await first.webhookRegistration;
    jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    const issue = jira.state.createIssue({ projectKey: 'CAT', summary: 'Registered webhook delivers' });
    await jira.state.settled();
    await first.stream.settled(30_000);
    await first.close();

    const second = await startService(config, captureLogs().logger);
    const again = await second.webhookRegistration;
    await second.close();

    const [registered] = jira.state.dispatcher.registry.list();
    assert.equal(created?.status, 'created');
    assert.equal(again?.status, 'registered');
    assert.equal(jira.state.dispatcher.registry.list().length, 1);
    assert.equal(registered?.secret, TEST_SECRET);
    assert.ok(registered?.events.includes('jira:issue_created'));
    assert.ok(port.state.entities('jiraIssue').some((entity) => entity.identifier === issue.key));
  });
});
