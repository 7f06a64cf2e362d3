import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProcessedResult } from '../../src/core/results.js';
import { projectResult, serializeResult } from '../../src/feed/projection.js';
import { makeResult } from './feed-fixture.js';

describe('projectResult', () => {
  test('projection keeps contract fields', () => {
    const result = makeResult(7, { reason: 'selector excluded the issue', error: 'Port returned 422' });

    assert.deepEqual(projectResult(result), result);
  });

  test('projection drops unknown fields', () => {
    const base = makeResult(7);
    const polluted = {
      ...base,
      payload: { secret: 'x' },
      upserted: [{ ...base.upserted[0], properties: { summary: 'x' } }],
      work: [{ ...base.work[0], fetched: { raw: true } }],
      timings: { ...base.timings, trace: 'x' },
    } as unknown as ProcessedResult;

    assert.deepEqual(projectResult(polluted), base);
  });

  test('projection omits absent optionals', () => {
    const result = makeResult(7, {
      timings: { receivedAt: 1, startedAt: 2, finishedAt: 3 },
      work: [{ processor: 'issue', kind: 'issue', resourceIndex: 0, outcome: 'ignored', upserted: [], deleted: [] }],
    });

    const projected = projectResult(result);

    assert.deepEqual(Object.keys(projected.timings), ['receivedAt', 'startedAt', 'finishedAt']);
    assert.equal('reason' in projected, false);
    assert.equal('entityId' in (projected.work[0] ?? {}), false);
  });

  test('projection keeps dead-letter id', () => {
    const result = makeResult(7, {
      outcome: 'dead-lettered',
      work: [{ processor: 'issue', kind: 'issue', resourceIndex: 1, outcome: 'dead-lettered', upserted: [], deleted: [], error: 'timed out', deadLetterId: 42 }],
    });

    assert.equal(projectResult(result).work[0]?.deadLetterId, 42);
  });

  test('serializeResult returns JSON', () => {
    const result = makeResult(8);

    assert.deepEqual(JSON.parse(serializeResult(result)), JSON.parse(JSON.stringify(result)));
  });
});
