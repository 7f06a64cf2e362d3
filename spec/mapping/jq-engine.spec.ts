import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanJqMessage, JqEngine, JqEvaluationError, rewriteSingleQuotes } from '../../src/mapping/jq-engine.js';

describe('rewriteSingleQuotes', () => {
  test('quoted literal', () => {
    assert.equal(rewriteSingleQuotes(".issueType == 'Bug'"), '.issueType == "Bug"');
  });

  test('whole expression literal', () => {
    assert.equal(rewriteSingleQuotes("'jiraIssue'"), '"jiraIssue"');
  });

  test('apostrophe inside double quotes kept', () => {
    assert.equal(rewriteSingleQuotes('"it\'s"'), '"it\'s"');
  });

  test('double-quoted literal unchanged', () => {
    assert.equal(rewriteSingleQuotes('"jiraIssue"'), '"jiraIssue"');
  });
});

describe('JqEngine', () => {
  let engine: JqEngine;
  let envEngine: JqEngine;

  before(async () => {
    engine = await JqEngine.load();
    envEngine = await JqEngine.load({ allowEnv: true });
  });

  test('version is jq 1.8.2', () => {
    assert.equal(engine.version, 'jq-1.8.2');
  });

  test('run returns every output', () => {
    assert.deepEqual(engine.run({ a: [1, 2] }, '.a[]'), [1, 2]);
  });

  test('string input stays a string', () => {
    assert.deepEqual(engine.run('{"a":1}', 'type'), ['string']);
  });

  test('env guard empties env', () => {
    assert.deepEqual(engine.run(null, 'env'), [{}]);
  });

  test('env guard empties $ENV', () => {
    assert.deepEqual(engine.run(null, '$ENV'), [{}]);
  });

  test('allowEnv exposes env', () => {
    const [count] = envEngine.run(null, 'env | length');
    assert.equal(typeof count, 'number');
    assert.ok((count as number) > 0);
  });

  test('compile error message', () => {
    assert.equal(engine.compileError('.key |'), 'syntax error, unexpected end of file (line 1, column 6)');
  });

  test('compile error undefined function', () => {
    assert.match(engine.compileError('foo(1)') ?? '', /foo\/1 is not defined/);
  });

  test('compile check does not run', () => {
    assert.equal(engine.compileError('repeat(.)'), undefined);
  });

  test('runtime error typed', () => {
    assert.throws(() => engine.run({ a: 1 }, '.a.b'), (error: unknown) => {
      assert.ok(error instanceof JqEvaluationError);
      assert.equal(error.exitCode, 5);
      assert.equal(error.jqMessage, 'Cannot index number with string ("b")');
      return true;
    });
  });

  test('runCount counts runs', () => {
    const before = engine.runCount;
    engine.run(null, '1');
    engine.run(null, '2');
    assert.equal(engine.runCount - before, 2);
  });
});

describe('cleanJqMessage', () => {
  test('runtime prefix removed', () => {
    assert.equal(cleanJqMessage('jq: error (at /dev/stdin:0): boom\n'), 'boom');
  });

  test('halt_error text kept', () => {
    assert.equal(cleanJqMessage('custom stop'), 'custom stop');
  });
});
