import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  parseIsoInstant, parseRetryAfter, readRateLimitHeaders, scopeOfReason,
} from '../../src/jira/rate-limit-headers.js';

const NOW = Date.UTC(2026, 2, 26, 15, 59, 30);

test('parseIsoInstant reads minutes without seconds', () => {
  assert.equal(parseIsoInstant('2026-03-26T16:00Z'), Date.UTC(2026, 2, 26, 16, 0));
});

test('parseIsoInstant reads seconds and fraction', () => {
  assert.equal(parseIsoInstant('2026-03-26T16:00:05.250Z'), Date.UTC(2026, 2, 26, 16, 0, 5, 250));
});

test('parseIsoInstant applies a zone offset', () => {
  assert.equal(parseIsoInstant('2026-03-26T18:00+02:00'), Date.UTC(2026, 2, 26, 16, 0));
  assert.equal(parseIsoInstant('2026-03-26T11:00-0500'), Date.UTC(2026, 2, 26, 16, 0));
});

test('parseIsoInstant reads a missing zone as UTC', () => {
  assert.equal(parseIsoInstant('2026-03-26T16:00'), Date.UTC(2026, 2, 26, 16, 0));
});

test('parseIsoInstant rejects other text', () => {
  assert.equal(parseIsoInstant('tomorrow'), undefined);
  assert.equal(parseIsoInstant(null), undefined);
});

test('parseRetryAfter reads seconds', () => {
  assert.equal(parseRetryAfter('30', NOW), NOW + 30_000);
});

test('parseRetryAfter reads an HTTP date', () => {
  assert.equal(parseRetryAfter('Thu, 26 Mar 2026 16:00:00 GMT', NOW), Date.UTC(2026, 2, 26, 16, 0));
});

test('parseRetryAfter rejects other text', () => {
  assert.equal(parseRetryAfter('soon', NOW), undefined);
  assert.equal(parseRetryAfter('', NOW), undefined);
});

test('readRateLimitHeaders reads every header', () => {
  const headers = new Headers({
    'Retry-After': '2',
    'X-RateLimit-Reset': '2026-03-26T16:00Z',
    'X-RateLimit-Limit': '65000',
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-NearLimit': 'true',
    'RateLimit-Reason': 'jira-quota-tenant-based',
  });

  assert.deepEqual(readRateLimitHeaders(headers, NOW), {
    retryAt: NOW + 2000,
    resetAt: Date.UTC(2026, 2, 26, 16, 0),
    limit: 65_000,
    remaining: 0,
    nearLimit: true,
    reason: 'jira-quota-tenant-based',
  });
});

test('readRateLimitHeaders without headers', () => {
  assert.deepEqual(readRateLimitHeaders(new Headers(), NOW), { nearLimit: false });
});

test('readRateLimitHeaders NearLimit other than true', () => {
  const signal = readRateLimitHeaders(new Headers({ 'X-RateLimit-NearLimit': 'false' }), NOW);

  assert.equal(signal.nearLimit, false);
});

test('scopeOfReason per reason', () => {
  const cases: Array<[string | undefined, 'endpoint' | 'site']> = [
    ['jira-burst-based', 'endpoint'],
    ['jira-per-issue-on-write', 'endpoint'],
    ['jira-quota-global-based', 'site'],
    ['jira-quota-tenant-based', 'site'],
    ['jira-cost-based', 'site'],
    ['jira-max-concurrent-threads-across-all-instances-per-tenant-per-user', 'site'],
    [undefined, 'site'],
  ];

  for (const [reason, scope] of cases) {
    assert.equal(scopeOfReason(reason), scope, `scope of ${String(reason)}`);
  }
});
