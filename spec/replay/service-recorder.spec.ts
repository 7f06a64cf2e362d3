import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import ky from 'ky';
import { silentLogger } from '../../src/core/logger.js';
import { signBody, verifySignature } from '../../src/ingress/signature.js';
import { readRecording } from '../../src/replay/recording-reader.js';
import { REDACTED, type RecordedDelivery } from '../../src/replay/recording.js';
import { startService, WEBHOOK_PATH, type RunningService } from '../../src/service/service.js';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira/index.js';
import { startPortSimulator } from '../../src/simulators/port/index.js';
import { JIRA_EMAIL, JIRA_TOKEN, TEST_SECRET } from '../support/harness.js';
import { serviceConfig } from '../support/service-harness.js';
import { tempDirectory } from './replay-fixture.js';

interface RecordingService {
  readonly jira: JiraSimulator;
  readonly service: RunningService;
  readonly recordingPath: string;
}

/** Start the service with `--record`, fed by the Jira simulator's signed webhooks. Everything closes when the test ends. */
async function startRecordingService(t: TestContext, signatures: boolean): Promise<RecordingService> {
  const directory = tempDirectory(t);
  const recordingPath = join(directory, 'recording.ndjson');
  const jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN } });
  const port = await startPortSimulator();
  const service = await startService(serviceConfig(jira, port, directory), silentLogger(), { record: { path: recordingPath, signatures } });
  t.after(async () => {
    await service.close();
    await jira.close();
    await port.close();
  });
  jira.state.setWebhook({ url: `${service.url}${WEBHOOK_PATH}`, secret: TEST_SECRET });
  return { jira, service, recordingPath };
}

async function readAll(path: string): Promise<RecordedDelivery[]> {
  const deliveries: RecordedDelivery[] = [];
  for await (const delivery of readRecording(path)) deliveries.push(delivery);
  return deliveries;
}

describe('serve --record', () => {
  test('records every accepted delivery', async (t) => {
    const { jira, service, recordingPath } = await startRecordingService(t, false);
    jira.state.createProject({ key: 'REC', name: 'Recorded' });
    jira.state.createIssue({ projectKey: 'REC', summary: 'First' });
    await jira.state.settled();
    await service.close();

    const recorded = await readAll(recordingPath);
    const sent = jira.state.sentWebhooks();
    assert.deepEqual(recorded.map((delivery) => delivery.headers['x-atlassian-webhook-identifier']), sent.map((webhook) => webhook.identifier));
    assert.deepEqual(recorded.map((delivery) => delivery.body.toString('utf8')), sent.map((webhook) => JSON.stringify(webhook.body)));
  });

  test('signature is redacted by default', async (t) => {
    const { jira, service, recordingPath } = await startRecordingService(t, false);
    jira.state.createProject({ key: 'RED', name: 'Redacted' });
    await jira.state.settled();
    await service.close();

    const [first] = await readAll(recordingPath);
    assert.equal(first?.headers['x-hub-signature'], REDACTED);
  });

  test('kept signature verifies against the body', async (t) => {
    const { jira, service, recordingPath } = await startRecordingService(t, true);
    jira.state.createProject({ key: 'SIG', name: 'Signed' });
    await jira.state.settled();
    await service.close();

    const [first] = await readAll(recordingPath);
    assert.ok(first !== undefined);
    assert.deepEqual(verifySignature(TEST_SECRET, first.body, first.headers['x-hub-signature']), { ok: true });
  });

  test('duplicate is recorded again, rejection is not', async (t) => {
    const { service, recordingPath } = await startRecordingService(t, false);
    const body = JSON.stringify({ webhookEvent: 'user_updated', user: { accountId: 'nobody' } });
    const headers = { 'content-type': 'application/json', 'x-atlassian-webhook-identifier': 'retried-1', 'x-hub-signature': signBody(TEST_SECRET, body) };
    const post = (extra: Record<string, string>) =>
      ky.post(`${service.url}${WEBHOOK_PATH}`, { body, headers: { ...headers, ...extra }, throwHttpErrors: false, retry: 0 });

    assert.equal((await post({})).status, 202);
    assert.equal((await post({ 'x-atlassian-webhook-retry': '1' })).status, 200);
    assert.equal((await post({ 'x-hub-signature': signBody('wrong', body) })).status, 401);
    await service.close();

    const recorded = await readAll(recordingPath);
    assert.deepEqual(recorded.map((delivery) => delivery.headers['x-atlassian-webhook-identifier']), ['retried-1', 'retried-1']);
  });
});
