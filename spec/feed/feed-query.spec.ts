import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FeedQueryInvalidError } from '../../src/feed/errors.js';
import { parseFeedQuery } from '../../src/feed/feed-query.js';

function parse(query: string): ReturnType<typeof parseFeedQuery> {
  return parseFeedQuery(new URLSearchParams(query));
}

function rejection(query: string): FeedQueryInvalidError {
  try {
    parse(query);
  } catch (error) {
    assert.ok(error instanceof FeedQueryInvalidError);
    return error;
  }
  assert.fail(`expected ${query} to be rejected`);
}

describe('parseFeedQuery', () => {
  test('empty query has no filter', () => {
    assert.deepEqual(parse(''), { filter: {} });
  });

  test('lists parsed into sets', () => {
    const query = parse('kinds=issue,project&outcomes=failed,rejected&events=jira:issue_updated');

    assert.deepEqual(query.filter.kinds, new Set(['issue', 'project']));
    assert.deepEqual(query.filter.outcomes, new Set(['failed', 'rejected']));
    assert.deepEqual(query.filter.events, new Set(['jira:issue_updated']));
  });

  test('repeated parameters merged', () => {
    const query = parse('kinds=issue&kinds=project, sprint');

    assert.deepEqual(query.filter.kinds, new Set(['issue', 'project', 'sprint']));
  });

  test('token accepted and ignored', () => {
    assert.deepEqual(parse('token=abc'), { filter: {} });
  });

  test('from parsed', () => {
    assert.equal(parse('from=0').from, 0);
    assert.equal(parse('from=1234').from, 1234);
  });

  test('unknown outcome rejected', () => {
    const error = rejection('outcomes=failed,exploded');

    assert.equal(error.status, 400);
    assert.equal(error.parameter, 'outcomes');
    assert.equal(error.value, 'exploded');
    assert.match(error.message, /dead-lettered/);
  });

  test('unknown parameter rejected without value', () => {
    const error = rejection('tokn=secret-value');

    assert.equal(error.parameter, 'tokn');
    assert.equal(error.value, undefined);
    assert.doesNotMatch(error.message, /secret-value/);
    assert.doesNotMatch(JSON.stringify(error.body()), /secret-value/);
  });

  test('empty list rejected', () => {
    assert.equal(rejection('kinds=').parameter, 'kinds');
    assert.equal(rejection('events=,,').parameter, 'events');
  });

  test('invalid from rejected', () => {
    for (const value of ['-1', '1.5', 'abc', '', '99999999999999999999']) {
      assert.equal(rejection(`from=${value}`).parameter, 'from', `from=${value}`);
    }
    assert.equal(rejection('from=1&from=2').parameter, 'from');
  });
});
