import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { JiraRateLimiter, type Clock } from '../../src/jira/rate-limiter.js';

const NOW = Date.UTC(2026, 2, 26, 15, 59, 0);
const SEARCH = 'POST /rest/api/3/search/jql';
const ISSUE = 'GET /rest/api/3/issue/{issueIdOrKey}';

/** A clock whose sleep advances time at once and records each duration. */
class FakeClock implements Clock {
  current = NOW;
  readonly sleeps: number[] = [];

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.current += ms;
    await Promise.resolve();
  }
}

function limiterWithFakeClock(options: { concurrency?: number } = {}): { limiter: JiraRateLimiter; clock: FakeClock } {
  const clock = new FakeClock();
  const limiter = new JiraRateLimiter({ ...options, clock, random: () => 0.5 });

  return { limiter, clock };
}

function rateLimited(headers: Record<string, string>): Headers {
  return new Headers(headers);
}

describe('JiraRateLimiter pauses', () => {
  test('burst 429 pauses only its endpoint', () => {
    const { limiter } = limiterWithFakeClock();

    limiter.observe(SEARCH, 429, rateLimited({ 'Retry-After': '2', 'RateLimit-Reason': 'jira-burst-based' }));

    assert.deepEqual(limiter.pauseOf(SEARCH), { until: NOW + 2000, reason: 'jira-burst-based' });
    assert.equal(limiter.pauseOf(ISSUE), undefined);
  });

  test('per-issue write 429 pauses only its endpoint', () => {
    const { limiter } = limiterWithFakeClock();

    limiter.observe('PUT /rest/api/3/issue/{issueIdOrKey}', 429, rateLimited({ 'Retry-After': '1', 'RateLimit-Reason': 'jira-per-issue-on-write' }));

    assert.equal(limiter.pauseOf('PUT /rest/api/3/issue/{issueIdOrKey}')?.reason, 'jira-per-issue-on-write');
    assert.equal(limiter.pauseOf(ISSUE), undefined);
  });

  test('quota 429 pauses every endpoint until the ISO reset', () => {
    for (const reason of ['jira-quota-global-based', 'jira-quota-tenant-based', 'jira-cost-based']) {
      const { limiter } = limiterWithFakeClock();

      limiter.observe(SEARCH, 429, rateLimited({ 'X-RateLimit-Reset': '2026-03-26T16:00Z', 'RateLimit-Reason': reason }));

      assert.deepEqual(limiter.pauseOf(ISSUE), { until: Date.UTC(2026, 2, 26, 16, 0), reason }, reason);
    }
  });

  test('gateway 429 without reason pauses the site', () => {
    const { limiter } = limiterWithFakeClock();

    limiter.observe(SEARCH, 429, rateLimited({ 'X-RateLimit-Reset': '2026-03-26T16:00Z' }));

    assert.deepEqual(limiter.pauseOf(ISSUE), { until: Date.UTC(2026, 2, 26, 16, 0), reason: 'rate-limited' });
  });

  test('Retry-After wins over X-RateLimit-Reset', () => {
    const { limiter } = limiterWithFakeClock();

    limiter.observe(SEARCH, 429, rateLimited({
      'Retry-After': '5',
      'X-RateLimit-Reset': '2026-03-26T16:00Z',
      'RateLimit-Reason': 'jira-quota-tenant-based',
    }));

    assert.equal(limiter.pauseOf(SEARCH)?.until, NOW + 5000);
  });

  test('pause never moves earlier', () => {
    const { limiter } = limiterWithFakeClock();

    limiter.observe(SEARCH, 429, rateLimited({ 'Retry-After': '10', 'RateLimit-Reason': 'jira-burst-based' }));
    limiter.observe(SEARCH, 429, rateLimited({ 'Retry-After': '1', 'RateLimit-Reason': 'jira-burst-based' }));

    assert.equal(limiter.pauseOf(SEARCH)?.until, NOW + 10_000);
  });

  test('past reset sets no pause', () => {
    const { limiter } = limiterWithFakeClock();

    limiter.observe(SEARCH, 429, rateLimited({ 'X-RateLimit-Reset': '2026-03-26T15:00Z' }));

    assert.equal(limiter.pauseOf(SEARCH), undefined);
  });

  test('far reset is capped at maxPauseMs', () => {
    const clock = new FakeClock();
    const limiter = new JiraRateLimiter({ clock, maxPauseMs: 60_000 });

    limiter.observe(SEARCH, 429, rateLimited({ 'X-RateLimit-Reset': '2026-03-27T16:00Z' }));

    assert.equal(limiter.pauseOf(SEARCH)?.until, NOW + 60_000);
  });

  test('Remaining 0 pauses the endpoint for one window', () => {
    const { limiter } = limiterWithFakeClock();

    limiter.observe(ISSUE, 200, rateLimited({ 'X-RateLimit-Remaining': '0' }));

    assert.deepEqual(limiter.pauseOf(ISSUE), { until: NOW + 1000, reason: 'remaining-exhausted' });
    assert.equal(limiter.pauseOf(SEARCH), undefined);
  });

  test('Remaining 0 with a limit pauses one token', () => {
    const { limiter } = limiterWithFakeClock();

    limiter.observe(ISSUE, 200, rateLimited({ 'X-RateLimit-Limit': '20', 'X-RateLimit-Remaining': '0' }));

    assert.equal(limiter.pauseOf(ISSUE)?.until, NOW + 50);
  });

  test('200 with Retry-After sets no pause', () => {
    const { limiter } = limiterWithFakeClock();

    limiter.observe(ISSUE, 200, rateLimited({ 'Retry-After': '3' }));

    assert.equal(limiter.pauseOf(ISSUE), undefined);
  });
});

describe('JiraRateLimiter waits', () => {
  test('acquire waits out a quota pause', async () => {
    const { limiter, clock } = limiterWithFakeClock();
    limiter.observe(SEARCH, 429, rateLimited({ 'Retry-After': '30', 'RateLimit-Reason': 'jira-quota-tenant-based' }));

    const release = await limiter.acquire(ISSUE);
    release();

    assert.deepEqual(clock.sleeps, [30_000]);
    assert.deepEqual(limiter.stats().waits['jira-quota-tenant-based'], { waits: 1, totalWaitMs: 30_000 });
  });

  test('waitBeforeRetry backs off without a pause', async () => {
    const { limiter, clock } = limiterWithFakeClock();

    await limiter.waitBeforeRetry(SEARCH, 1);
    await limiter.waitBeforeRetry(SEARCH, 3);

    assert.deepEqual(clock.sleeps, [1000, 4000]);
    assert.deepEqual(limiter.stats().waits['backoff'], { waits: 2, totalWaitMs: 5000 });
  });

  test('waitBeforeRetry leaves a pause to acquire', async () => {
    const { limiter, clock } = limiterWithFakeClock();
    limiter.observe(SEARCH, 429, rateLimited({ 'Retry-After': '2', 'RateLimit-Reason': 'jira-burst-based' }));

    await limiter.waitBeforeRetry(SEARCH, 1);

    assert.deepEqual(clock.sleeps, []);
  });

  test('NearLimit spaces request starts', async () => {
    const { limiter, clock } = limiterWithFakeClock();
    limiter.observe(SEARCH, 200, rateLimited({ 'X-RateLimit-NearLimit': 'true' }));

    for (let request = 0; request < 3; request += 1) {
      const release = await limiter.acquire(SEARCH);
      release();
    }

    assert.deepEqual(clock.sleeps, [100, 100]);
    assert.equal(limiter.stats().nearLimit, true);
  });

  test('response without NearLimit ends spacing', async () => {
    const { limiter, clock } = limiterWithFakeClock();
    limiter.observe(SEARCH, 200, rateLimited({ 'X-RateLimit-NearLimit': 'true' }));
    limiter.observe(SEARCH, 200, rateLimited({}));

    for (let request = 0; request < 3; request += 1) {
      const release = await limiter.acquire(SEARCH);
      release();
    }

    assert.deepEqual(clock.sleeps, []);
  });

  test('acquire bounds concurrency', async () => {
    const { limiter } = limiterWithFakeClock({ concurrency: 2 });
    const first = await limiter.acquire(SEARCH);
    await limiter.acquire(SEARCH);

    let thirdStarted = false;
    const third = limiter.acquire(ISSUE).then((release) => {
      thirdStarted = true;
      return release;
    });
    await Promise.resolve();

    assert.equal(thirdStarted, false);
    assert.equal(limiter.stats().queued, 1);

    first();
    first();
    (await third)();

    assert.equal(thirdStarted, true);
    assert.equal(limiter.stats().inFlight, 1);
  });
});
