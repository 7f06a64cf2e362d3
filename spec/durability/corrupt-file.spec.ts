import assert from 'node:assert/strict';
import { statSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, test, type TestContext } from 'node:test';
import { SqliteEventLog } from '../../src/log/sqlite-event-log.js';
import { spawnCli, startSimulators, type ConfigFile } from './durability-support.js';

async function configWithSimulators(t: TestContext): Promise<ConfigFile> {
  return (await startSimulators(t)).config;
}

/** Write a real event log with `count` deliveries, then cut the file to half its size. */
async function writeTruncatedLog(path: string, count: number): Promise<void> {
  const log = SqliteEventLog.open(path);
  const body = Buffer.from(`{"webhookEvent":"jira:issue_updated","padding":"${'x'.repeat(2000)}"}`);
  await Promise.all(Array.from({ length: count }, (_, index) => log.append({ deliveryId: `id-${index}`, receivedAt: 1, headers: {}, body })));
  await log.close();
  truncateSync(path, Math.floor(statSync(path).size / 2));
}

/** Check that a CLI run ended with exit code 1 and the event log's open error, without a stack trace. */
async function assertOpenErrorExit(child: ReturnType<typeof spawnCli>, path: string): Promise<void> {
  const exit = await child.exited;
  const stderr = child.stderr();

  assert.equal(exit.code, 1);
  assert.match(stderr, /Cannot open the event log/);
  assert.ok(stderr.includes(path), `stderr names the file: ${stderr}`);
  assert.match(stderr, /move the file away/);
  assert.doesNotMatch(stderr, /^\s+at /m);
}

describe('corrupted event log file', () => {
  test('serve rejects a file that is not SQLite', async (t) => {
    const config = await configWithSimulators(t);
    writeFileSync(config.eventLogPath, Buffer.alloc(16 * 1024, 0x5a));

    await assertOpenErrorExit(spawnCli(t, ['serve', '--config', config.path], config.env), config.eventLogPath);
  });

  test('serve rejects a truncated log', async (t) => {
    const config = await configWithSimulators(t);
    await writeTruncatedLog(config.eventLogPath, 500);

    await assertOpenErrorExit(spawnCli(t, ['serve', '--config', config.path], config.env), config.eventLogPath);
  });

  test('dead-letters rejects a truncated log', async (t) => {
    const config = await configWithSimulators(t);
    await writeTruncatedLog(config.eventLogPath, 500);

    await assertOpenErrorExit(spawnCli(t, ['dead-letters', '--log', config.eventLogPath, 'list'], {}), config.eventLogPath);
  });
});
