import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateStream, type GeneratedStream } from '../../src/replay/generate-stream.js';
import { HttpTarget } from '../../src/replay/http-target.js';
import { recordingLine, type RecordedDelivery } from '../../src/replay/recording.js';
import { runReplay } from '../../src/replay/replay-command.js';
import { replayRecording } from '../../src/replay/replayer.js';
import type { ReplayReport } from '../../src/replay/report.js';
import { jiraCountsAt, portCountsAt } from '../../src/replay/simulator-counts.js';
import { loadStateOverHttp } from '../../src/replay/state-loader.js';
import { TEST_SECRET } from '../support/harness.js';
import { actualIssues, expectedIssues } from '../support/oracle.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';
import { capturedIo, fromList, tempDirectory } from './replay-fixture.js';

const FEED_TOKEN = 'replay-http-feed-token';
const RECORDED_SECRET = 'the-secret-of-another-jira-site';

function writeRecording(path: string, deliveries: readonly RecordedDelivery[], signatures: boolean): void {
  writeFileSync(path, deliveries.map((delivery) => recordingLine(delivery, { signatures })).join(''));
}

async function replayCli(args: string[]): Promise<ReplayReport> {
  const io = capturedIo();
  assert.equal(await runReplay([...args, '--json', '--no-progress'], io), 0, io.stderrText());
  return JSON.parse(io.stdoutText()) as ReplayReport;
}

describe('replay over HTTP against the simulators', () => {
  let harness: ServiceHarness;
  let stream: GeneratedStream;
  let report: ReplayReport;

  before(async () => {
    harness = await startServiceHarness({ feedToken: FEED_TOKEN });
    harness.jira.state.setWebhook(null);
    stream = await generateStream({ deliveries: 300, issues: 30, projects: 3, users: 5, seed: 31, duplicateRate: 0.05, secret: RECORDED_SECRET });
    await loadStateOverHttp(harness.jira.url, stream.state);

    report = await replayRecording({
      source: 'generated',
      deliveries: fromList(stream.deliveries),
      target: new HttpTarget(harness.service.url, FEED_TOKEN),
      pacing: { mode: 'asap' },
      concurrency: 20,
      secret: TEST_SECRET,
      settleTimeoutMs: 30_000,
      counters: { jira: jiraCountsAt(harness.jira.url), port: portCountsAt(harness.port.url) },
    });
  });
  after(() => harness.close());

  test('every re-signed delivery is acknowledged', () => {
    assert.equal(report.sent, 300);
    assert.equal(report.acknowledged, 300);
    assert.deepEqual(report.statusCounts, { '200': stream.summary.retries, '202': stream.summary.unique });
  });

  test('every stored delivery shows up on the feed', () => {
    assert.ok(!('skipped' in report.endToEnd), 'feed not watched');
    assert.equal(report.endToEnd.observed, stream.summary.unique);
    assert.equal(report.endToEnd.missing, 0);
    assert.equal(report.endToEnd.latencyMs?.count, stream.summary.unique);
  });

  test('simulator request counts are reported', () => {
    assert.ok((report.jira?.byEndpoint['POST /rest/api/3/search/jql'] ?? 0) > 0);
    assert.ok((report.port?.total ?? 0) > 0);
  });

  test('Port issues converge to Jira', async () => {
    assert.deepEqual(actualIssues(harness.port), await expectedIssues(harness.jira));
  });

  test('wrong secret yields 401s in the report', async (t) => {
    const path = join(tempDirectory(t), 'foreign.ndjson');
    writeRecording(path, stream.deliveries.slice(0, 25), true);

    const foreign = await replayCli([path, '--url', harness.service.url, '--feed-token', FEED_TOKEN]);
    assert.deepEqual(foreign.statusCounts, { '401': 25 });
    assert.equal(foreign.acknowledged, 0);
    assert.equal(foreign.errors, 25);
    assert.match(foreign.errorSamples[0] ?? '', /^401: invalid_signature: X-Hub-Signature does not match the body/);
    assert.ok(!('skipped' in foreign.endToEnd));
    assert.equal(foreign.endToEnd.expected, 0);
  });

  test('redacted signatures are named in a warning', async (t) => {
    const path = join(tempDirectory(t), 'redacted.ndjson');
    writeRecording(path, stream.deliveries.slice(0, 5), false);

    const redacted = await replayCli([path, '--url', harness.service.url, '--feed-token', FEED_TOKEN]);
    assert.deepEqual(redacted.statusCounts, { '401': 5 });
    assert.deepEqual(redacted.warnings, ['5 deliveries carried a redacted X-Hub-Signature; pass --secret to sign them again']);
  });

  test('new identifiers store a recording again', async (t) => {
    const path = join(tempDirectory(t), 'again.ndjson');
    writeRecording(path, stream.deliveries.slice(0, 20), true);

    const again = await replayCli([path, '--url', harness.service.url, '--feed-token', FEED_TOKEN, '--secret', TEST_SECRET, '--new-ids', '--rate', '500']);
    const retries = stream.deliveries.slice(0, 20).filter((delivery) => delivery.headers['x-atlassian-webhook-retry'] !== undefined).length;
    assert.equal(again.statusCounts['202'], 20 - retries);
    assert.equal(again.pacing, 'fixed rate, 500 deliveries/s');
  });

  test('wrong feed token skips end-to-end only', async (t) => {
    const path = join(tempDirectory(t), 'token.ndjson');
    writeRecording(path, stream.deliveries.slice(0, 3), true);

    const skipped = await replayCli([path, '--url', harness.service.url, '--feed-token', 'wrong', '--secret', TEST_SECRET]);
    assert.equal(skipped.acknowledged, 3);
    assert.ok('skipped' in skipped.endToEnd);
    assert.match(skipped.endToEnd.skipped, /handshake with 401/);
  });
});
