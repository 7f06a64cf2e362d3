import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { runDeadLetters } from '../../src/cli/commands/dead-letters.js';
import { runReplay } from '../../src/cli/commands/replay.js';
import { SqliteEventLog } from '../../src/log/sqlite-event-log.js';
import { DEFAULT_MAPPING_PATH } from '../../src/mapping/default-mapping.js';
import type { RunningService } from '../../src/service/service.js';
import type { JiraSimulator } from '../../src/simulators/jira/index.js';
import type { PortSimulator } from '../../src/simulators/port/index.js';
import { identifiers } from '../support/harness.js';
import { actualIssues, expectedIssues } from '../support/oracle.js';
import { captureIo, settle, startServiceInProcess, startSimulators, writeConfigFile, type ConfigFile } from './durability-support.js';

interface Running {
  readonly jira: JiraSimulator;
  readonly port: PortSimulator;
  readonly config: ConfigFile;
  readonly service: RunningService;
  readonly log: SqliteEventLog;
}

/** Start both simulators, write a configuration file and run the service on it in this process. */
async function startRunning(t: TestContext): Promise<Running> {
  const { jira, port, config } = await startSimulators(t, { logLevel: 'warn' });
  const service = await startServiceInProcess(t, config, jira);
  assert.ok(service.stream.log instanceof SqliteEventLog);
  return { jira, port, config, service, log: service.stream.log };
}

/** Create CAT-1 while Port rejects it, so that its work ends as a dead letter; return the dead letter's id. */
async function deadLetterForRejectedIssue(running: Running): Promise<number> {
  const { jira, port, service, log } = running;
  port.state.rejectIdentifiers({ blueprint: 'jiraIssue', identifiers: ['CAT-1'] });
  jira.state.createProject({ key: 'CAT', name: 'Catalog' });
  jira.state.createIssue({ projectKey: 'CAT', summary: 'Add the service catalog' });
  await settle(jira, service);

  const [deadLetter] = log.deadLetters.list();
  assert.ok(deadLetter !== undefined, 'the rejected upsert was dead-lettered');
  return deadLetter.id;
}

/** Write the default mapping with issue titles prefixed by their key; return the file path. */
function writeKeyedTitleMapping(directory: string): string {
  const text = readFileSync(DEFAULT_MAPPING_PATH, 'utf8');
  const changed = text.replace('title: .fields.summary', 'title: ("[" + .key + "] " + .fields.summary)');
  assert.notEqual(changed, text, 'the default mapping has the issue title line to replace');
  const path = join(directory, 'keyed-titles.yaml');
  writeFileSync(path, changed);
  return path;
}

describe('dead-letters command', () => {
  test('redrive waits for the fault to go', async (t) => {
    const running = await startRunning(t);
    const { port, config, log } = running;
    const id = await deadLetterForRejectedIssue(running);
    const deliveryId = log.deadLetters.get(id)?.deliveryId ?? '';

    const failing = captureIo(config.env);
    const failingExit = await runDeadLetters(['--config', config.path, 'redrive', String(id)], failing.io);

    assert.equal(failingExit, 1);
    assert.match(failing.stdout(), new RegExp(`dead letter ${id}: failed again \\(attempt 2\\): Port rejected the upsert of jiraIssue/CAT-1`));
    assert.equal(log.deadLetters.get(id)?.attempts, 2);
    assert.equal(log.deadLetters.get(id)?.redrivenAt, null);
    assert.equal(log.results.forDelivery(deliveryId)?.outcome, 'dead-lettered');

    port.state.rejectIdentifiers();
    const fixed = captureIo(config.env);
    const fixedExit = await runDeadLetters(['--config', config.path, 'redrive', '--all'], fixed.io);

    assert.equal(fixedExit, 0);
    assert.match(fixed.stdout(), new RegExp(`dead letter ${id}: re-driven \\(upserted jiraIssue/CAT-1\\)`));
    assert.match(fixed.stdout(), /Re-drove 1 of 1 dead letter\(s\); 0 still waiting\./);
    assert.notEqual(log.deadLetters.get(id)?.redrivenAt, null);
    assert.equal(log.deadLetters.count(), 0);
    assert.deepEqual(identifiers(port, 'jiraIssue'), ['CAT-1']);
    assert.equal(log.results.forDelivery(deliveryId)?.outcome, 'upserted');
  });

  test('redrive of re-driven letter fails', async (t) => {
    const running = await startRunning(t);
    const id = await deadLetterForRejectedIssue(running);
    running.port.state.rejectIdentifiers();
    await runDeadLetters(['--config', running.config.path, 'redrive', String(id)], captureIo(running.config.env).io);

    const again = captureIo(running.config.env);
    const exit = await runDeadLetters(['--config', running.config.path, 'redrive', String(id)], again.io);

    assert.equal(exit, 1);
    assert.match(again.stdout(), new RegExp(`dead letter ${id}: not re-driven: Dead letter ${id} was already re-driven`));
  });

  test('list, show and drop', async (t) => {
    const running = await startRunning(t);
    const id = await deadLetterForRejectedIssue(running);
    const logArgs = ['--log', running.config.eventLogPath];

    const listed = captureIo({});
    assert.equal(await runDeadLetters([...logArgs, 'list'], listed.io), 0);
    assert.match(listed.stdout(), /^ID\s+OFFSET\s+ATTEMPTS/);
    assert.match(listed.stdout(), new RegExp(`^${id}\\s+\\d+\\s+1\\s+.*jira:issue_created\\s+issue/issue\\s+\\d+\\s+waiting\\s+Port rejected`, 'm'));
    assert.match(listed.stdout(), /1 dead letter\(s\) waiting for a redrive/);

    const json = captureIo({});
    assert.equal(await runDeadLetters([...logArgs, 'list', '--json'], json.io), 0);
    assert.deepEqual((JSON.parse(json.stdout()) as Array<{ id: number }>).map((entry) => entry.id), [id]);

    const shown = captureIo({});
    assert.equal(await runDeadLetters([...logArgs, 'show', String(id)], shown.io), 0);
    const detail = JSON.parse(shown.stdout()) as { id: number; kind: string; delivery: { headers: Record<string, string>; body?: string } };
    assert.equal(detail.id, id);
    assert.equal(detail.kind, 'issue');
    assert.equal(detail.delivery.headers['x-hub-signature'], '[present]');
    assert.equal(detail.delivery.body, undefined);

    const withBody = captureIo({});
    assert.equal(await runDeadLetters([...logArgs, 'show', String(id), '--body'], withBody.io), 0);
    assert.match((JSON.parse(withBody.stdout()) as { delivery: { body: string } }).delivery.body, /"webhookEvent":"jira:issue_created"/);

    const dropped = captureIo({});
    assert.equal(await runDeadLetters([...logArgs, 'drop', String(id)], dropped.io), 0);
    assert.equal(running.log.deadLetters.get(id), undefined);
    const droppedAgain = captureIo({});
    assert.equal(await runDeadLetters([...logArgs, 'drop', String(id)], droppedAgain.io), 1);
    assert.match(droppedAgain.stderr(), new RegExp(`Dead letter ${id} not found`));
  });

  test('invalid options exit with 2', async (t) => {
    const running = await startRunning(t);
    const cases: Array<readonly string[]> = [
      ['list'],
      ['--log', running.config.eventLogPath, 'redrive', '--all'],
      ['--log', running.config.eventLogPath, 'show'],
      ['--log', running.config.eventLogPath, 'list', '7'],
      ['--log', running.config.eventLogPath, 'purge'],
      ['--config', running.config.path, 'redrive'],
      ['--log', running.config.eventLogPath, 'show', 'abc'],
    ];

    for (const args of cases) {
      const io = captureIo({});
      assert.equal(await runDeadLetters(args, io.io), 2, `exit code of dead-letters ${args.join(' ')}`);
      assert.match(io.stderr(), /Usage: jira-port-stream dead-letters/, `usage after dead-letters ${args.join(' ')}`);
    }
  });
});

describe('replay command', () => {
  test('replay applies a changed mapping', async (t) => {
    const { jira, port, config, service } = await startRunning(t);
    jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    jira.state.createIssue({ projectKey: 'CAT', summary: 'First' });
    jira.state.createIssue({ projectKey: 'CAT', summary: 'Second' });
    await settle(jira, service);
    const mapping = writeKeyedTitleMapping(config.directory);
    const changed = writeConfigFile(t, jira, port, { logLevel: 'warn', mapping, eventLogPath: config.eventLogPath });

    const output = captureIo(changed.env);
    const exit = await runReplay(['--config', changed.path, '--from', '1'], output.io);

    assert.equal(exit, 0);
    assert.match(output.stdout(), /Replayed 3 delivery\(ies\) \(offsets 1 to 3\) with the current mapping: upserted 3, deleted 0, ignored 0, rejected 0, failed 0, dead-lettered 0\./);
    assert.deepEqual(actualIssues(port), await expectedIssues(jira, mapping));
    assert.deepEqual(actualIssues(port).map((entity) => entity.title), ['[CAT-1] First', '[CAT-2] Second']);
  });

  test('replay resolves fixed dead letters', async (t) => {
    const running = await startRunning(t);
    const { port, config, log } = running;
    const id = await deadLetterForRejectedIssue(running);

    const failing = captureIo(config.env);
    const failingExit = await runReplay(['--config', config.path, '--from', '1'], failing.io);
    port.state.rejectIdentifiers();
    const fixed = captureIo(config.env);
    const fixedExit = await runReplay(['--config', config.path, '--from', '1'], fixed.io);

    assert.equal(failingExit, 1);
    assert.match(failing.stdout(), new RegExp(`offset 2 jira:issue_created dead-lettered \\(dead letter ${id}\\): Port rejected`));
    assert.equal(fixedExit, 0);
    assert.match(fixed.stdout(), new RegExp(`Marked 1 dead letter\\(s\\) re-driven, because their work succeeded: ${id}\\.`));
    assert.equal(log.deadLetters.get(id)?.attempts, 2);
    assert.notEqual(log.deadLetters.get(id)?.redrivenAt, null);
    assert.deepEqual(identifiers(port, 'jiraIssue'), ['CAT-1']);
  });

  test('replay since a time', async (t) => {
    const { jira, config, service, log } = await startRunning(t);
    jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    await settle(jira, service);
    jira.state.createIssue({ projectKey: 'CAT', summary: 'Later' });
    await settle(jira, service);
    const since = new Date(log.readAfter(1, 1)[0]?.receivedAt ?? 0).toISOString();

    const output = captureIo(config.env);
    const exit = await runReplay(['--config', config.path, '--since', since], output.io);

    assert.equal(exit, 0);
    assert.match(output.stdout(), /Replayed 1 delivery\(ies\) \(offsets 2 to 2\)/);
  });

  test('replay past the head does nothing', async (t) => {
    const { config } = await startRunning(t);

    const output = captureIo(config.env);
    const exit = await runReplay(['--config', config.path, '--from', '5'], output.io);

    assert.equal(exit, 0);
    assert.match(output.stdout(), /Nothing to replay/);
  });

  test('invalid options exit with 2', async (t) => {
    const { config } = await startRunning(t);
    const cases: Array<readonly string[]> = [
      ['--from', '1'],
      ['--config', config.path],
      ['--config', config.path, '--from', '1', '--since', '2026-01-01T00:00:00Z'],
      ['--config', config.path, '--from', '0'],
      ['--config', config.path, '--since', 'yesterday'],
      ['--config', config.path, '--from', '1', '--to', 'x'],
    ];

    for (const args of cases) {
      const io = captureIo(config.env);
      assert.equal(await runReplay(args, io.io), 2, `exit code of replay ${args.join(' ')}`);
      assert.match(io.stderr(), /Usage: jira-port-stream replay/, `usage after replay ${args.join(' ')}`);
    }
  });
});
