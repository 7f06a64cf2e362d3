import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { compileJql, JqlSyntaxError, JqlValidationError, parseJql, validateJql } from '../../src/simulators/jira/index.js';
import type { JqlSubject } from '../../src/simulators/jira/jql-fields.js';

const NOW = Date.UTC(2026, 11, 4, 12, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function subject(overrides: Partial<JqlSubject>): JqlSubject {
  return {
    id: '10000',
    keys: ['CAT-1'],
    project: { id: '10000', keys: ['CAT'], name: 'Catalog' },
    status: { id: '10000', name: 'To Do' },
    statusCategory: { id: '2', key: 'new', name: 'To Do' },
    issuetype: { id: '10001', name: 'Task' },
    priority: { id: '3', name: 'Medium' },
    labels: [],
    assignee: null,
    reporter: null,
    summary: 'Summary',
    created: NOW - DAY,
    updated: NOW - HOUR,
    ...overrides,
  };
}

const ALPHA = subject({ id: '10001', keys: ['CAT-1'], labels: ['alpha'], assignee: 'u-ada', updated: NOW - 2 * HOUR });
const BETA = subject({
  id: '10002',
  keys: ['CAT-2'],
  labels: ['beta'],
  status: { id: '10002', name: 'Done' },
  statusCategory: { id: '3', key: 'done', name: 'Done' },
  updated: NOW - 3 * DAY,
});
const OTHER = subject({
  id: '10003',
  keys: ['OPS-1', 'CAT-3'],
  project: { id: '10001', keys: ['OPS'], name: 'Operations' },
  issuetype: { id: '10002', name: 'Bug' },
  assignee: 'u-bob',
  created: NOW - 10 * DAY,
  updated: NOW - 8 * DAY,
});
const ALL = [ALPHA, BETA, OTHER];

function matching(jql: string): string[] {
  const compiled = compileJql(jql, NOW);
  return ALL.filter((candidate) => compiled.matches(candidate)).map((candidate) => candidate.keys[0] ?? '');
}

function ordered(jql: string): string[] {
  const compiled = compileJql(jql, NOW);
  return [...ALL].sort((left, right) => compiled.compare(left, right)).map((candidate) => candidate.keys[0] ?? '');
}

describe('JQL parser', () => {
  test('AND binds tighter than OR', () => {
    const query = parseJql('project = OPS OR project = CAT AND labels = beta');

    assert.equal(query.where?.type, 'or');
    assert.deepEqual(matching('project = OPS OR project = CAT AND labels = beta'), ['CAT-2', 'OPS-1']);
  });

  test('parentheses override precedence', () => {
    assert.deepEqual(matching('(project = OPS OR project = CAT) AND labels = beta'), ['CAT-2']);
  });

  test('NOT binds tighter than AND', () => {
    assert.deepEqual(matching('NOT labels = alpha AND project = CAT'), ['CAT-2']);
    assert.deepEqual(matching('NOT (labels = alpha AND project = CAT)'), ['CAT-2', 'OPS-1']);
  });

  test('keywords are case-insensitive', () => {
    assert.deepEqual(matching('project = cat and not status = done order by key desc'), ['CAT-1']);
  });

  test('ORDER BY inside parentheses', () => {
    assert.throws(
      () => parseJql('(project = CAT ORDER BY key)'),
      (error: unknown) => error instanceof JqlSyntaxError && error.status === 400 && /Expecting '\)' but got 'ORDER'/.test(error.message),
    );
  });

  test('syntax errors name the token', () => {
    assert.throws(() => parseJql('status = OR'), /Expecting either a value, list or function but got 'OR'/);
    assert.throws(() => parseJql('status done'), /Expecting operator but got 'done'/);
    assert.throws(() => parseJql('status in (a b)'), /Expecting ',' or '\)' but got 'b'/);
    assert.throws(() => parseJql('status = "open'), /quoted string 'open' has not been completed/);
    assert.throws(() => parseJql('status = a b'), /Expecting either 'OR' or 'AND' but got 'b'/);
    assert.throws(() => parseJql('status = #'), /character '#' is a reserved JQL character/);
    assert.throws(() => parseJql('status in ()'), /Expecting either a value, list or function but got '\)'/);
    assert.throws(() => parseJql('order key'), /Expecting 'BY' but got 'key'/);
    assert.throws(() => parseJql('ORDER BY key project = CAT'), /Expecting ',' or the end of the query but got 'project'/);
  });

  test('only ORDER BY has no restriction', () => {
    const query = parseJql('ORDER BY created DESC');

    assert.equal(query.where, null);
    assert.deepEqual(query.orderBy, [{ field: 'created', direction: 'DESC', position: 9 }]);
    assert.equal(compileJql('order by key').bounded, false);
    assert.equal(compileJql('').bounded, false);
  });

  test('quoted values keep spaces and escapes', () => {
    const query = parseJql('summary ~ "say \\"hi\\" now"');
    const clause = query.where;

    assert.equal(clause?.type, 'clause');
    assert.deepEqual(clause?.type === 'clause' ? clause.operand : null, { kind: 'text', text: 'say "hi" now', quoted: true, position: 10 });
  });
});

describe('JQL evaluation', () => {
  test('in and not in', () => {
    assert.deepEqual(matching('key in (CAT-1, CAT-2)'), ['CAT-1', 'CAT-2']);
    assert.deepEqual(matching('issuetype not in (Bug)'), ['CAT-1', 'CAT-2']);
  });

  test('not in skips EMPTY fields', () => {
    assert.deepEqual(matching('assignee not in (u-ada)'), ['OPS-1']);
    assert.deepEqual(matching('assignee != u-ada'), ['OPS-1']);
    assert.deepEqual(matching('labels != alpha'), ['CAT-2']);
  });

  test('EMPTY and NULL', () => {
    assert.deepEqual(matching('assignee is EMPTY'), ['CAT-2']);
    assert.deepEqual(matching('assignee IS NOT empty'), ['CAT-1', 'OPS-1']);
    assert.deepEqual(matching('labels = null'), ['OPS-1']);
    assert.deepEqual(matching('assignee in (EMPTY, u-bob)'), ['CAT-2', 'OPS-1']);
  });

  test('statusCategory by key or name', () => {
    assert.deepEqual(matching('statusCategory = Done'), ['CAT-2']);
    assert.deepEqual(matching('statusCategory = done'), ['CAT-2']);
    assert.deepEqual(matching('statusCategory != "To Do"'), ['CAT-2']);
  });

  test('project by key, id or name', () => {
    assert.deepEqual(matching('project = OPS'), ['OPS-1']);
    assert.deepEqual(matching('project = 10001'), ['OPS-1']);
    assert.deepEqual(matching('project = "Operations"'), ['OPS-1']);
  });

  test('issue and key match old keys and ids', () => {
    assert.deepEqual(matching('key = CAT-3'), ['OPS-1']);
    assert.deepEqual(matching('issue = 10002'), ['CAT-2']);
    assert.deepEqual(matching('id in (10001, 10003)'), ['CAT-1', 'OPS-1']);
  });

  test('relative dates', () => {
    assert.deepEqual(matching('updated >= -1d'), ['CAT-1']);
    assert.deepEqual(matching('updated < -1w'), ['OPS-1']);
    assert.deepEqual(matching('updated >= -3h'), ['CAT-1']);
    assert.deepEqual(matching('updated > -90m'), []);
    assert.deepEqual(matching('created <= -4d'), ['OPS-1']);
  });

  test('absolute dates', () => {
    assert.deepEqual(matching('created < "2026-11-30"'), ['OPS-1']);
    assert.deepEqual(matching('updated >= "2026/12/04 09:00"'), ['CAT-1']);
  });

  test('ORDER BY fields and direction', () => {
    assert.deepEqual(ordered('project = CAT ORDER BY updated DESC'), ['CAT-1', 'CAT-2', 'OPS-1']);
    assert.deepEqual(ordered('project = CAT ORDER BY created ASC, key DESC'), ['OPS-1', 'CAT-2', 'CAT-1']);
    assert.deepEqual(ordered('project = CAT'), ['CAT-1', 'CAT-2', 'OPS-1']);
    assert.deepEqual(ordered('project = CAT ORDER BY Rank DESC'), ['OPS-1', 'CAT-2', 'CAT-1']);
  });

  test('unknown field and operator', () => {
    assert.throws(() => compileJql('colour = red'), JqlValidationError);
    assert.throws(() => compileJql('labels > a'), /operator '>' is not supported by the 'labels' field/);
    assert.throws(() => compileJql('status is Done'), /only supports the EMPTY value/);
    assert.throws(() => compileJql('assignee = currentUser()'), /Unable to find JQL function 'currentUser\(\)'/);
    assert.throws(() => compileJql('created > yesterday'), /Date value 'yesterday' for field 'created' is invalid/);
    assert.throws(() => compileJql('project = CAT ORDER BY labels'), /Not able to sort using field 'labels'/);
  });

  test('validateJql lists errors', () => {
    assert.deepEqual(validateJql('project = CAT'), []);
    assert.equal(validateJql('project = ').length, 1);
  });
});
