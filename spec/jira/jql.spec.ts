import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { InvalidJiraIdError } from '../../src/jira/errors.js';
import { composeIssueJql, composeProjectIssuesJql, splitOrderBy } from '../../src/jira/jql.js';

describe('splitOrderBy', () => {
  test('splitOrderBy without ORDER BY', () => {
    assert.deepEqual(splitOrderBy(' project = CAT '), { where: 'project = CAT' });
  });

  test('splitOrderBy strips the sort clause', () => {
    assert.deepEqual(splitOrderBy('project = CAT ORDER BY updated DESC'), { where: 'project = CAT', orderBy: 'updated DESC' });
  });

  test('splitOrderBy is case-insensitive', () => {
    assert.deepEqual(splitOrderBy('project = CAT order   By created'), { where: 'project = CAT', orderBy: 'created' });
  });

  test('splitOrderBy accepts line breaks', () => {
    assert.deepEqual(splitOrderBy('project = CAT\nORDER\nBY rank'), { where: 'project = CAT', orderBy: 'rank' });
  });

  test('splitOrderBy after a closing parenthesis', () => {
    assert.deepEqual(splitOrderBy('(a = 1)ORDER BY key'), { where: '(a = 1)', orderBy: 'key' });
  });

  test('splitOrderBy keeps ORDER BY in double quotes', () => {
    const jql = 'summary ~ "order by date" ORDER BY key';

    assert.deepEqual(splitOrderBy(jql), { where: 'summary ~ "order by date"', orderBy: 'key' });
  });

  test('splitOrderBy keeps ORDER BY in single quotes with escapes', () => {
    const jql = "summary ~ 'it\\'s order by x'";

    assert.deepEqual(splitOrderBy(jql), { where: jql });
  });

  test('splitOrderBy ignores ORDER BY inside a longer word', () => {
    assert.deepEqual(splitOrderBy('labels = reorder by_team'), { where: 'labels = reorder by_team' });
  });

  test('splitOrderBy ignores ORDER BY inside parentheses', () => {
    assert.deepEqual(splitOrderBy('(a = 1 ORDER BY key)'), { where: '(a = 1 ORDER BY key)' });
  });

  test('splitOrderBy of a bare ORDER BY', () => {
    assert.deepEqual(splitOrderBy('ORDER BY created DESC'), { where: '', orderBy: 'created DESC' });
  });
});

describe('composeIssueJql', () => {
  test('composeIssueJql wraps OR in parentheses', () => {
    const jql = composeIssueJql('project = A OR project = B', ['10001']);

    assert.equal(jql, '(project = A OR project = B) AND issue = 10001');
  });

  test('composeIssueJql strips ORDER BY', () => {
    const jql = composeIssueJql('project = A ORDER BY updated DESC', ['10001']);

    assert.equal(jql, '(project = A) AND issue = 10001');
  });

  test('composeIssueJql keeps ORDER BY in a quoted value', () => {
    const jql = composeIssueJql('summary ~ "ORDER BY" ORDER BY key', ['10001']);

    assert.equal(jql, '(summary ~ "ORDER BY") AND issue = 10001');
  });

  test('composeIssueJql with empty JQL', () => {
    assert.equal(composeIssueJql('', ['10001']), 'issue = 10001');
    assert.equal(composeIssueJql('   ', ['10001']), 'issue = 10001');
    assert.equal(composeIssueJql(undefined, ['10001']), 'issue = 10001');
  });

  test('composeIssueJql with bare ORDER BY', () => {
    assert.equal(composeIssueJql('order by created', ['10001']), 'issue = 10001');
  });

  test('composeIssueJql with several ids', () => {
    const jql = composeIssueJql('status = Done', ['10001', '10002', '10001']);

    assert.equal(jql, '(status = Done) AND issue in (10001, 10002)');
  });

  test('composeIssueJql rejects an issue key', () => {
    assert.throws(() => composeIssueJql('', ['10001', 'CAT-1']), (error: unknown) => {
      assert.ok(error instanceof InvalidJiraIdError);
      assert.equal(error.value, 'CAT-1');
      assert.match(error.message, /"CAT-1"/);
      return true;
    });
  });

  test('composeIssueJql rejects an injected clause', () => {
    assert.throws(() => composeIssueJql('', ['1 OR 1=1']), InvalidJiraIdError);
  });

  test('composeIssueJql rejects an empty id list', () => {
    assert.throws(() => composeIssueJql('project = A', []), RangeError);
  });
});

describe('composeProjectIssuesJql', () => {
  test('composeProjectIssuesJql wraps the user JQL', () => {
    const jql = composeProjectIssuesJql('type = Bug OR type = Task ORDER BY key', '10000');

    assert.equal(jql, '(type = Bug OR type = Task) AND project = 10000');
  });

  test('composeProjectIssuesJql with empty JQL', () => {
    assert.equal(composeProjectIssuesJql(undefined, '10000'), 'project = 10000');
  });

  test('composeProjectIssuesJql rejects a project key', () => {
    assert.throws(() => composeProjectIssuesJql('', 'CAT'), (error: unknown) => {
      assert.ok(error instanceof InvalidJiraIdError);
      assert.equal(error.kind, 'project');
      assert.equal(error.value, 'CAT');
      return true;
    });
  });
});
