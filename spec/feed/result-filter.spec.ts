import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchesFilter, type ResultFilter } from '../../src/feed/result-filter.js';
import { makeResult } from './feed-fixture.js';

describe('matchesFilter', () => {
  const result = makeResult(1, { kinds: ['issue', 'project'], outcome: 'failed', webhookEvent: 'jira:issue_updated' });
  const cases: { readonly name: string; readonly filter: ResultFilter; readonly expected: boolean }[] = [
    { name: 'empty filter', filter: {}, expected: true },
    { name: 'one listed kind', filter: { kinds: new Set(['project']) }, expected: true },
    { name: 'no listed kind', filter: { kinds: new Set(['sprint']) }, expected: false },
    { name: 'listed outcome', filter: { outcomes: new Set(['failed', 'rejected']) }, expected: true },
    { name: 'other outcome', filter: { outcomes: new Set(['upserted']) }, expected: false },
    { name: 'listed event', filter: { events: new Set(['jira:issue_updated']) }, expected: true },
    { name: 'other event', filter: { events: new Set(['jira:issue_created']) }, expected: false },
    { name: 'all match', filter: { kinds: new Set(['issue']), outcomes: new Set(['failed']), events: new Set(['jira:issue_updated']) }, expected: true },
    { name: 'one set fails', filter: { kinds: new Set(['issue']), outcomes: new Set(['ignored']) }, expected: false },
  ];

  for (const { name, filter, expected } of cases) {
    test(`filter ${name}`, () => {
      assert.equal(matchesFilter(filter, result), expected);
    });
  }

  test('null event never matches events', () => {
    const withoutEvent = makeResult(2, { webhookEvent: null });

    assert.equal(matchesFilter({ events: new Set(['jira:issue_updated']) }, withoutEvent), false);
    assert.equal(matchesFilter({}, withoutEvent), true);
  });

  test('no kinds never matches kinds', () => {
    assert.equal(matchesFilter({ kinds: new Set(['issue']) }, makeResult(3, { kinds: [] })), false);
  });
});
