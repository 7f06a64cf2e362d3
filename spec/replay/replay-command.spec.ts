import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runGenerate } from '../../src/replay/generate-command.js';
import type { GenerationSummary } from '../../src/replay/generate-stream.js';
import { runReplay } from '../../src/replay/replay-command.js';
import type { ReplayReport } from '../../src/replay/report.js';
import { readStateFile } from '../../src/replay/state-file.js';
import { capturedIo, tempDirectory } from './replay-fixture.js';

const GENERATE_ARGS = ['--deliveries', '150', '--issues', '15', '--projects', '2', '--users', '4', '--seed', '41', '--secret', 'command-secret'];

describe('generate command', () => {
  test('writes the recording, the state and a summary', async (t) => {
    const directory = tempDirectory(t);
    const out = join(directory, 'stream.ndjson');
    const state = join(directory, 'state.json');
    const io = capturedIo();

    assert.equal(await runGenerate([...GENERATE_ARGS, '--out', out, '--state', state], io), 0);
    assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 150);
    assert.equal((await readStateFile(state)).seed, 41);
    assert.match(io.stderrText(), /^generated 150 deliveries \(\d+ unique, \d+ retries, \d+ late\) to .*stream\.ndjson/);
  });

  test('writes to stdout without --out', async () => {
    const io = capturedIo();
    assert.equal(await runGenerate([...GENERATE_ARGS, '--deliveries', '20', '--json'], io), 0);
    assert.equal(io.stdoutText().trim().split('\n').length, 20);
    assert.equal((JSON.parse(io.stderrText()) as GenerationSummary).deliveries, 20);
  });

  test('invalid option exits with 2 and the usage', async () => {
    const io = capturedIo();
    assert.equal(await runGenerate(['--deliveries', 'many'], io), 2);
    assert.match(io.stderrText(), /Invalid --deliveries "many": expected an integer/);
    assert.match(io.stderrText(), /Usage: npm run generate/);
  });
});

describe('replay command', () => {
  test('replays into a local service with simulators', async (t) => {
    const directory = tempDirectory(t);
    const out = join(directory, 'stream.ndjson');
    const state = join(directory, 'state.json');
    await runGenerate([...GENERATE_ARGS, '--out', out, '--state', state], capturedIo());
    const io = capturedIo();

    assert.equal(await runReplay([out, '--local', '--state', state, '--secret', 'command-secret', '--json', '--no-progress'], io), 0, io.stderrText());
    const report = JSON.parse(io.stdoutText()) as ReplayReport;
    assert.equal(report.acknowledged, 150);
    assert.ok(!('skipped' in report.endToEnd));
    assert.equal(report.endToEnd.missing, 0);
    assert.ok((report.port?.total ?? 0) > 0);
    assert.equal(report.convergence?.converged, true);
  });

  test('limit sends only the first deliveries', async (t) => {
    const out = join(tempDirectory(t), 'stream.ndjson');
    await runGenerate([...GENERATE_ARGS, '--out', out], capturedIo());
    const io = capturedIo();

    assert.equal(await runReplay([out, '--embedded', '--limit', '10', '--speed', '1000', '--json', '--no-progress'], io), 0, io.stderrText());
    const report = JSON.parse(io.stdoutText()) as ReplayReport;
    assert.equal(report.sent, 10);
    assert.equal(report.pacing, 'recorded pacing × 1000');
  });

  test('text report is the default', async (t) => {
    const out = join(tempDirectory(t), 'stream.ndjson');
    await runGenerate([...GENERATE_ARGS, '--deliveries', '10', '--out', out], capturedIo());
    const io = capturedIo();

    assert.equal(await runReplay([out, '--embedded', '--no-progress'], io), 0);
    assert.match(io.stdoutText(), /^source\s+.*stream\.ndjson\ntarget\s+embedded pipeline\n/);
  });

  test('invalid options exit with 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /exactly one recording FILE, got none/],
      [['a.ndjson', 'b.ndjson'], /exactly one recording FILE, got a\.ndjson b\.ndjson/],
      [['a.ndjson', '--rate', '5', '--speed', '2'], /exclude each other/],
      [['a.ndjson', '--embedded', '--local'], /choose one target/],
      [['a.ndjson', '--state', 's.json'], /--state needs --jira-sim URL/],
      [['a.ndjson', '--embedded', '--jira-sim', 'http://127.0.0.1:1'], /start their own/],
      [['a.ndjson', '--concurrency', '0'], /Invalid --concurrency 0/],
      [['a.ndjson', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, expected] of cases) {
      const io = capturedIo();
      assert.equal(await runReplay(args, io), 2, args.join(' '));
      assert.match(io.stderrText(), expected, args.join(' '));
    }
  });

  test('help prints the usage', async () => {
    const io = capturedIo();
    assert.equal(await runReplay(['--help'], io), 0);
    assert.match(io.stdoutText(), /^Usage: npm run replay -- FILE \[options\]/);
  });
});
