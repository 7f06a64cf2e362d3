import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { runExport } from '../../src/cli/commands/export.js';
import type { IncomingDelivery } from '../../src/core/delivery.js';
import { signBody, verifySignature } from '../../src/ingress/signature.js';
import { SqliteEventLog } from '../../src/log/sqlite-event-log.js';
import { deliveriesReceivedIn } from '../../src/replay/export-log.js';
import { decodeRecordedDelivery, REDACTED, type RecordedDelivery } from '../../src/replay/recording.js';
import { capturedIo, tempDirectory } from './replay-fixture.js';

const T0 = Date.UTC(2026, 0, 5, 9);
const HOUR = 60 * 60 * 1000;
const SECRET = 'export-spec-secret';

function delivery(id: string, receivedAt: number): IncomingDelivery {
  const body = Buffer.from(JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { id, key: `CAT-${id}` } }));
  return {
    deliveryId: id,
    receivedAt,
    headers: { 'content-type': 'application/json', 'x-atlassian-webhook-identifier': id, 'x-hub-signature': signBody(SECRET, body) },
    body,
  };
}

/** Write a closed log file with deliveries 1, 2 and 3, received at T0, T0 + 1 h and T0 + 2 h. */
async function logWithThreeDeliveries(t: TestContext): Promise<{ directory: string; path: string }> {
  const directory = tempDirectory(t);
  const path = join(directory, 'data', 'events.db');
  mkdirSync(join(directory, 'data'));
  const log = SqliteEventLog.open(path);
  for (const [index, receivedAt] of [T0, T0 + HOUR, T0 + 2 * HOUR].entries()) await log.append(delivery(String(index + 1), receivedAt));
  await log.close();
  return { directory, path };
}

function lines(text: string): RecordedDelivery[] {
  return text.trim().split('\n').filter((line) => line !== '').map((line) => {
    const decoded = decodeRecordedDelivery(line);
    if ('reason' in decoded) throw new Error(decoded.reason);
    return decoded.delivery;
  });
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

describe('export', () => {
  test('window includes since and excludes until', async (t) => {
    const { path } = await logWithThreeDeliveries(t);
    const log = SqliteEventLog.open(path);
    t.after(() => log.close());

    const exported = [...deliveriesReceivedIn(log, { since: T0 + HOUR, until: T0 + 2 * HOUR })];
    assert.deepEqual(exported.map((item) => item.receivedAt), [T0 + HOUR]);
  });

  test('open window reaches the end', async (t) => {
    const { path } = await logWithThreeDeliveries(t);
    const log = SqliteEventLog.open(path);
    t.after(() => log.close());

    assert.equal([...deliveriesReceivedIn(log, { since: T0 + 1 })].length, 2);
  });

  test('command writes NDJSON with redacted signatures', async (t) => {
    const { path } = await logWithThreeDeliveries(t);
    const io = capturedIo();

    assert.equal(await runExport(['--log', path, '--since', iso(T0)], io), 0);
    const exported = lines(io.stdoutText());
    assert.equal(exported.length, 3);
    assert.equal(exported[0]?.headers['x-hub-signature'], REDACTED);
    assert.match(io.stderrText(), /exported 3 deliveries/);
  });

  test('kept signatures still verify', async (t) => {
    const { path } = await logWithThreeDeliveries(t);
    const io = capturedIo();

    await runExport(['--log', path, '--since', iso(T0), '--until', iso(T0 + HOUR), '--include-signatures'], io);
    const [first] = lines(io.stdoutText());
    assert.ok(first !== undefined);
    assert.deepEqual(verifySignature(SECRET, first.body, first.headers['x-hub-signature']), { ok: true });
  });

  test('config path resolves against its folder', async (t) => {
    const { directory } = await logWithThreeDeliveries(t);
    const config = join(directory, 'service.yaml');
    writeFileSync(config, 'jira:\n  baseUrl: http://127.0.0.1:1\neventLog:\n  path: ./data/events.db\n');
    const io = capturedIo();

    assert.equal(await runExport(['--config', config, '--since', iso(T0 + 2 * HOUR)], io), 0);
    assert.equal(lines(io.stdoutText()).length, 1);
  });

  test('invalid options exit with 2', async (t) => {
    const { directory, path } = await logWithThreeDeliveries(t);
    const memoryConfig = join(directory, 'memory.yaml');
    writeFileSync(memoryConfig, 'eventLog:\n  path: ":memory:"\n');
    const cases: Array<[string[], RegExp]> = [
      [['--log', path], /needs --since/],
      [['--log', path, '--since', 'yesterday'], /Invalid --since "yesterday"/],
      [['--log', path, '--since', iso(T0), '--until', iso(T0)], /not after --since/],
      [['--since', iso(T0)], /exactly one of --config FILE/],
      [['--log', join(directory, 'absent.db'), '--since', iso(T0)], /No event log at/],
      [['--config', memoryConfig, '--since', iso(T0)], /in memory/],
      [['--log', path, '--since', iso(T0), '--unknown'], /unknown/i],
    ];
    for (const [args, expected] of cases) {
      const io = capturedIo();
      assert.equal(await runExport(args, io), 2, args.join(' '));
      assert.match(io.stderrText(), expected, args.join(' '));
    }
  });

  test('file that is not a log exits with 1', async (t) => {
    const directory = tempDirectory(t);
    const path = join(directory, 'not-a-log.db');
    writeFileSync(path, 'plain text');
    const io = capturedIo();

    assert.equal(await runExport(['--log', path, '--since', iso(T0)], io), 1);
    assert.match(io.stderrText(), /Cannot open the event log/);
  });
});
