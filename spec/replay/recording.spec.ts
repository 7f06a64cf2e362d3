import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RecordingFormatError, ReplayFileError } from '../../src/replay/errors.js';
import { countRecordedDeliveries, readRecording } from '../../src/replay/recording-reader.js';
import { RecordingWriter } from '../../src/replay/recording-writer.js';
import {
  decodeRecordedDelivery,
  encodeRecordedDelivery,
  recordingLine,
  REDACTED,
  redactSecretHeaders,
  type RecordedDelivery,
} from '../../src/replay/recording.js';
import { recorded, tempDirectory } from './replay-fixture.js';

const SIGNED: RecordedDelivery = {
  receivedAt: Date.UTC(2026, 0, 5, 9, 0, 0, 125),
  headers: { 'x-atlassian-webhook-identifier': 'id-1', 'x-hub-signature': 'sha256=abc', 'content-type': 'application/json' },
  body: Buffer.from('{"webhookEvent":"jira:issue_updated","issue":{"id":"10001","key":"CAT-1"}}'),
};

function decoded(line: string): RecordedDelivery {
  const result = decodeRecordedDelivery(line);
  if ('reason' in result) throw new Error(`expected a delivery, got: ${result.reason}`);
  return result.delivery;
}

async function readAll(path: string): Promise<RecordedDelivery[]> {
  const deliveries: RecordedDelivery[] = [];
  for await (const delivery of readRecording(path)) deliveries.push(delivery);
  return deliveries;
}

describe('recording format', () => {
  test('round trip keeps time, headers and body', () => {
    const back = decoded(encodeRecordedDelivery(SIGNED));
    assert.equal(back.receivedAt, SIGNED.receivedAt);
    assert.deepEqual(back.headers, SIGNED.headers);
    assert.deepEqual(back.body, SIGNED.body);
  });

  test('receive time is written as ISO-8601', () => {
    const line = JSON.parse(encodeRecordedDelivery(SIGNED)) as { receivedAt: string };
    assert.equal(line.receivedAt, '2026-01-05T09:00:00.125Z');
  });

  test('body is the raw text', () => {
    const line = JSON.parse(encodeRecordedDelivery(SIGNED)) as { body: string; bodyEncoding?: string };
    assert.equal(line.body, SIGNED.body.toString('utf8'));
    assert.equal(line.bodyEncoding, undefined);
  });

  test('body that is not UTF-8 goes as base64', () => {
    const binary: RecordedDelivery = { ...SIGNED, body: Buffer.from([0xff, 0xfe, 0x7b, 0x00]) };
    const line = JSON.parse(encodeRecordedDelivery(binary)) as { bodyEncoding?: string };
    assert.equal(line.bodyEncoding, 'base64');
    assert.deepEqual(decoded(encodeRecordedDelivery(binary)).body, binary.body);
  });

  test('byte order mark survives', () => {
    const withBom: RecordedDelivery = { ...SIGNED, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), SIGNED.body]) };
    assert.deepEqual(decoded(encodeRecordedDelivery(withBom)).body, withBom.body);
  });

  test('epoch milliseconds are accepted', () => {
    const back = decoded('{"receivedAt":1767603600000,"headers":{},"body":"{}"}');
    assert.equal(back.receivedAt, 1767603600000);
  });

  test('header names are lower-cased', () => {
    const back = decoded('{"receivedAt":"2026-01-05T09:00:00Z","headers":{"X-Hub-Signature":"sha256=1"},"body":"{}"}');
    assert.deepEqual(back.headers, { 'x-hub-signature': 'sha256=1' });
  });

  test('invalid lines name the fault', () => {
    const cases: Array<[string, RegExp]> = [
      ['not json', /not JSON/],
      ['{"headers":{},"body":"{}"}', /receivedAt/],
      ['{"receivedAt":"yesterday","headers":{},"body":"{}"}', /yesterday/],
      ['{"receivedAt":"2026-01-05T09:00:00Z","headers":{"a":1},"body":"{}"}', /headers/],
      ['{"receivedAt":"2026-01-05T09:00:00Z","headers":{}}', /body/],
    ];
    for (const [line, expected] of cases) {
      const result = decodeRecordedDelivery(line);
      assert.ok('reason' in result, `accepted ${line}`);
      assert.match(result.reason, expected, line);
    }
  });

  test('redaction replaces secret headers only', () => {
    const redacted = redactSecretHeaders({ ...SIGNED.headers, authorization: 'Bearer x', cookie: 'c=1' });
    assert.equal(redacted['x-hub-signature'], REDACTED);
    assert.equal(redacted['authorization'], REDACTED);
    assert.equal(redacted['cookie'], REDACTED);
    assert.equal(redacted['x-atlassian-webhook-identifier'], 'id-1');
  });

  test('line redacts unless signatures are kept', () => {
    assert.match(recordingLine(SIGNED, { signatures: false }), /"x-hub-signature":"\[redacted\]"/);
    assert.match(recordingLine(SIGNED, { signatures: true }), /"x-hub-signature":"sha256=abc"/);
    assert.ok(recordingLine(SIGNED, { signatures: true }).endsWith('}\n'));
  });
});

describe('recording reader', () => {
  test('yields deliveries and skips blank lines', async (t) => {
    const path = join(tempDirectory(t), 'stream.ndjson');
    writeFileSync(path, `${encodeRecordedDelivery(recorded('a', { n: 1 }))}\n\n${encodeRecordedDelivery(recorded('b', { n: 2 }))}\n`);

    const deliveries = await readAll(path);
    assert.deepEqual(deliveries.map((delivery) => delivery.headers['x-atlassian-webhook-identifier']), ['a', 'b']);
    assert.equal(await countRecordedDeliveries(path), 2);
  });

  test('invalid line fails with its number', async (t) => {
    const path = join(tempDirectory(t), 'stream.ndjson');
    writeFileSync(path, `${encodeRecordedDelivery(recorded('a', {}))}\n{"receivedAt":"2026-01-05T09:00:00Z"}\n`);

    await assert.rejects(readAll(path), (error: unknown) => {
      assert.ok(error instanceof RecordingFormatError);
      assert.equal(error.line, 2);
      assert.match(error.message, /stream\.ndjson line 2/);
      return true;
    });
  });

  test('missing file fails with its path', async (t) => {
    const path = join(tempDirectory(t), 'absent.ndjson');
    await assert.rejects(readAll(path), (error: unknown) => error instanceof ReplayFileError && error.message.includes(path));
    await assert.rejects(countRecordedDeliveries(path), ReplayFileError);
  });
});

describe('recording writer', () => {
  test('redacts signatures by default', async (t) => {
    const path = join(tempDirectory(t), 'recording.ndjson');
    const writer = new RecordingWriter(path);
    assert.equal(writer.write(SIGNED), true);
    await writer.close();

    const [line] = await readAll(path);
    assert.equal(line?.headers['x-hub-signature'], REDACTED);
  });

  test('keeps signatures when asked', async (t) => {
    const path = join(tempDirectory(t), 'recording.ndjson');
    const writer = new RecordingWriter(path, { signatures: true });
    writer.write(SIGNED);
    await writer.close();

    const [line] = await readAll(path);
    assert.equal(line?.headers['x-hub-signature'], 'sha256=abc');
  });

  test('appends to an existing file', async (t) => {
    const path = join(tempDirectory(t), 'recording.ndjson');
    writeFileSync(path, `${encodeRecordedDelivery(recorded('earlier', {}))}\n`);
    const writer = new RecordingWriter(path);
    writer.write(SIGNED);
    await writer.close();

    assert.equal(readFileSync(path, 'utf8').trim().split('\n').length, 2);
  });

  test('drops writes after close', async (t) => {
    const writer = new RecordingWriter(join(tempDirectory(t), 'recording.ndjson'));
    await writer.close();
    assert.equal(writer.write(SIGNED), false);
    assert.deepEqual(writer.stats(), { written: 0, dropped: 1 });
  });

  test('unwritable file never throws', async (t) => {
    const path = join(tempDirectory(t), 'missing-folder', 'recording.ndjson');
    const writer = new RecordingWriter(path);
    writer.write(SIGNED);
    await writer.close();

    assert.equal(existsSync(path), false);
    assert.equal(writer.write(SIGNED), false);
  });
});
