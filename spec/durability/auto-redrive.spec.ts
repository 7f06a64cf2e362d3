import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/core/logger.js';
import type { DeadLetter } from '../../src/log/dead-letters.js';
import type { SqliteEventLog } from '../../src/log/sqlite-event-log.js';
import { dueDeadLetters, startAutoRedrive } from '../../src/pipeline/auto-redrive.js';
import { identifiers } from '../support/harness.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

const MINUTE = 60_000;

function deadLetter(attempts: number, lastFailedAt: number): DeadLetter {
  return {
    id: attempts,
    deliveryId: `d-${attempts}`,
    offset: attempts,
    webhookEvent: 'jira:issue_updated',
    processor: 'issue',
    kind: 'issue',
    resourceIndex: 0,
    error: 'Port answered 503',
    attempts,
    firstFailedAt: lastFailedAt,
    lastFailedAt,
    redrivenAt: null,
  };
}

describe('dueDeadLetters', () => {
  it('waits longer after each attempt', () => {
    const now = 10 * MINUTE;
    const letters = [deadLetter(1, now - MINUTE), deadLetter(2, now - MINUTE), deadLetter(3, now - 3 * MINUTE), deadLetter(3, now - 4 * MINUTE)];
    assert.deepEqual(dueDeadLetters(letters, now, MINUTE, 8, 60 * MINUTE).map((letter) => `${letter.attempts}@${(now - letter.lastFailedAt) / MINUTE}`), ['1@1', '3@4']);
  });

  it('leaves exhausted dead letters to the operator', () => {
    assert.deepEqual(dueDeadLetters([deadLetter(8, 0)], 100 * MINUTE, MINUTE, 8, 60 * MINUTE), []);
  });
});

describe('automatic redrive', () => {
  let h: ServiceHarness;
  before(async () => {
    h = await startServiceHarness();
    h.jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    await h.settle();
  });
  after(() => h.close());

  it('writes work that failed during an outage', async () => {
    h.port.state.rejectIdentifiers({ blueprint: 'jiraIssue', pattern: '^CAT-', statusCode: 503 });
    h.jira.state.createIssue({ projectKey: 'CAT', summary: 'created during the outage' });
    await h.settle();
    assert.equal(h.results.at(-1)?.outcome, 'dead-lettered');

    h.port.state.rejectIdentifiers();
    const log = h.service.stream.log as SqliteEventLog;
    const redrive = startAutoRedrive(
      { pipeline: h.service.stream.pipeline, log, deadLetters: log.deadLetters, mapping: h.service.stream.mapping },
      { logger: silentLogger(), now: () => Date.now() + 10 * MINUTE },
    );
    await redrive.runOnce();
    redrive.stop();

    assert.deepEqual(identifiers(h.port, 'jiraIssue'), ['CAT-1']);
    assert.equal(log.deadLetters.count(), 0);
  });
});
