import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { TestContext } from 'node:test';
import type { CommandIo } from '../../src/replay/cli-options.js';
import type { RecordedDelivery } from '../../src/replay/recording.js';

/** Create a directory for one test and remove it when the test ends. */
export function tempDirectory(t: TestContext): string {
  const directory = mkdtempSync(join(tmpdir(), 'replay-spec-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** Command streams that keep what was written, for asserting on a command's output. */
export interface CapturedIo extends CommandIo {
  stdoutText(): string;
  stderrText(): string;
}

export function capturedIo(): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return {
    stdout,
    stderr,
    stdoutText: () => Buffer.concat(out).toString('utf8'),
    stderrText: () => Buffer.concat(err).toString('utf8'),
  };
}

/** Yield the deliveries of a list, as `readRecording` yields those of a file. */
export async function* fromList(deliveries: readonly RecordedDelivery[]): AsyncGenerator<RecordedDelivery> {
  for (const delivery of deliveries) yield delivery;
}

/** Build a recorded delivery with a JSON body and an identifier header. */
export function recorded(identifier: string, body: unknown, receivedAt = Date.UTC(2026, 0, 5, 9)): RecordedDelivery {
  return {
    receivedAt,
    headers: { 'content-type': 'application/json; charset=UTF-8', 'x-atlassian-webhook-identifier': identifier },
    body: Buffer.from(JSON.stringify(body)),
  };
}
