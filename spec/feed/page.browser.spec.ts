import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Outcome, ProcessedResult } from '../../src/core/results.js';
import { attachFeed } from '../../src/feed/feed-server.js';
import {
  chromiumSkipReason,
  openLivePage,
  repositoryRoot,
  resultRowOffsets,
  shownCount,
  waitForResultRow,
  waitForStatus,
} from './browser-helper.js';
import { TEST_TOKEN, makeResult, range, startFeedServer } from './feed-fixture.js';

const skip = chromiumSkipReason();
const GUARD = { timeout: 60_000 };

/** Builds a result for `offset` from a repeating mix of outcomes, kinds and events. */
function variedResult(offset: number): ProcessedResult {
  const outcomes: Outcome[] = ['upserted', 'upserted', 'upserted', 'deleted', 'ignored', 'upserted', 'rejected', 'failed', 'upserted', 'dead-lettered'];
  const outcome = outcomes[offset % outcomes.length] as Outcome;
  const project = offset % 3 === 0;
  let webhookEvent = offset % 2 === 0 ? 'jira:issue_updated' : 'jira:issue_created';
  if (project) {
    webhookEvent = 'project_updated';
  }
  const base = makeResult(offset, {
    outcome,
    kinds: project ? ['project'] : ['issue'],
    webhookEvent,
    upserted: outcome === 'upserted' ? [{ blueprint: project ? 'jiraProject' : 'jiraIssue', identifier: project ? `P${offset}` : `1${offset}` }] : [],
    deleted: outcome === 'deleted' ? [{ blueprint: 'jiraIssue', identifier: `1${offset}` }] : [],
  });

  switch (outcome) {
    case 'ignored':
      return { ...base, reason: 'selector query excluded the entity' };
    case 'rejected':
      return { ...base, reason: 'invalid signature in X-Hub-Signature' };
    case 'failed':
      return { ...base, error: 'Jira GET /rest/api/3/search/jql timed out after 3 retries' };
    case 'dead-lettered':
      return { ...base, error: 'Port bulk upsert returned 422 for jiraIssue' };
    default:
      return base;
  }
}

describe('live page in Chromium', { skip }, () => {
  test('page shows pushed result', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const page = await openLivePage(t, fixture.baseUrl, { token: TEST_TOKEN });
    await waitForStatus(page, 'live');

    fixture.results.next(makeResult(1, { outcome: 'failed', error: 'Port returned 503', upserted: [] }));
    const row = await waitForResultRow(page, 1);

    assert.equal(row.offset, '1');
    assert.equal(row.outcome, 'failed');
    assert.equal(row.webhookEvent, 'jira:issue_updated');
    assert.equal(row.reasonOrError, 'Port returned 503');
    assert.equal(await page.locator('#rows tr[data-offset="1"] td[data-outcome="failed"] span.outcome-failed').count(), 1);
    assert.equal(await shownCount(page, 'outcome-counts', 'failed'), 1);
    assert.equal(await shownCount(page, 'kind-counts', 'issue'), 1);
  });

  test('page renders fields as text', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const page = await openLivePage(t, fixture.baseUrl, { token: TEST_TOKEN });
    await waitForStatus(page, 'live');
    const markup = '<img src="x" id="injected">';

    fixture.results.next(makeResult(1, { outcome: 'ignored', reason: markup, upserted: [] }));
    const row = await waitForResultRow(page, 1);

    assert.equal(row.reasonOrError, markup);
    assert.equal(await page.locator('#injected').count(), 0);
  });

  test('page reconnects from last offset', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const page = await openLivePage(t, fixture.baseUrl, { token: TEST_TOKEN });
    await waitForStatus(page, 'live');
    range(1, 3).forEach((offset) => fixture.results.next(makeResult(offset)));
    await waitForResultRow(page, 3);

    // A new feed on the same server and history, as after a restart of the feed.
    await fixture.feed.close();
    const closedStatus = await waitForStatus(page, 'closed');
    const restarted = attachFeed(fixture.server, fixture.results, { token: TEST_TOKEN, history: fixture.history });
    t.after(() => restarted.close());
    range(4, 5).forEach((offset) => fixture.results.next(makeResult(offset)));
    const resumedStatus = await waitForStatus(page, 'live');
    fixture.results.next(makeResult(6));
    await waitForResultRow(page, 6);

    assert.match(closedStatus, /code 1001: server shutting down/);
    assert.match(closedStatus, /from offset 3/);
    assert.match(resumedStatus, /resumed after offset 3/);
    assert.deepEqual(await resultRowOffsets(page), [6, 5, 4, 3, 2, 1]);
  });

  test('page passes filters on', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const page = await openLivePage(t, fixture.baseUrl, { token: TEST_TOKEN, outcomes: 'failed' });
    await waitForStatus(page, 'live');

    fixture.results.next(makeResult(1, { outcome: 'upserted' }));
    fixture.results.next(makeResult(2, { outcome: 'failed', error: 'timed out' }));
    await waitForResultRow(page, 2);

    assert.deepEqual(await resultRowOffsets(page), [2]);
  });

  test('page screenshot with varied results', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const page = await openLivePage(t, fixture.baseUrl, { token: TEST_TOKEN });
    await waitForStatus(page, 'live');

    // Batches of different sizes, half a second apart, give the sparkline a shape.
    let offset = 0;
    for (const batchSize of [3, 8, 14, 6, 11, 2, 9, 5]) {
      for (let index = 0; index < batchSize; index += 1) {
        offset += 1;
        fixture.results.next(variedResult(offset));
      }
      await sleep(500);
    }
    await waitForResultRow(page, offset);
    await page.waitForFunction(() => (document.getElementById('sparkline-line')?.getAttribute('points') ?? '').includes(','));
    const path = join(repositoryRoot(), 'docs', 'feed-page.png');
    await page.screenshot({ path, fullPage: false });
    t.diagnostic(`screenshot of ${offset} results saved to ${path}`);

    assert.equal((await resultRowOffsets(page)).length, offset);
    assert.equal(await shownCount(page, 'outcome-counts', 'upserted') > 0, true);
  });
});
