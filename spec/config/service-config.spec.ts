import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, type ConfigProblem } from '../../src/config/errors.js';
import { CONFIG_DEFAULTS, decodeServiceConfig, loadServiceConfig, type ServiceConfig } from '../../src/config/service-config.js';
import { DEFAULT_TUNING } from '../../src/pipeline/pipeline.js';

const ENV = { JIRA_API_TOKEN: 'jira-token', PORT_CLIENT_SECRET: 'port-secret', WEBHOOK_SECRET: 'webhook-secret' };
const MINIMAL = { jira: { baseUrl: 'https://example.atlassian.net', email: 'bot@example.com' }, port: { clientId: 'client-id' } };

function decode(document: unknown, env: NodeJS.ProcessEnv = ENV): ServiceConfig {
  return decodeServiceConfig(document, env, '/srv/jps');
}

function problems(document: unknown, env: NodeJS.ProcessEnv = ENV): ConfigProblem[] {
  try {
    decode(document, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return [...error.problems];
  }
  return assert.fail('expected the configuration to be rejected');
}

function problemAt(document: unknown, key: string, env: NodeJS.ProcessEnv = ENV): ConfigProblem {
  const all = problems(document, env);
  const found = all.find((problem) => problem.key === key);
  assert.ok(found, `no problem for ${key}; got ${all.map((problem) => problem.key).join(', ')}`);
  return found;
}

describe('decodeServiceConfig', () => {
  test('defaults for a minimal file', () => {
    const config = decode(MINIMAL);

    assert.equal(config.port.baseUrl, 'https://api.getport.io');
    assert.deepEqual(config.server, { host: '127.0.0.1', port: 8000 });
    assert.equal(config.eventLog.path, '/srv/jps/data/jira-port-stream.db');
    assert.deepEqual(config.pipeline, DEFAULT_TUNING);
    assert.deepEqual(config.logging, { level: 'info', pretty: false });
    assert.deepEqual(config.readiness, CONFIG_DEFAULTS.readiness);
    assert.deepEqual(config.metrics, { enabled: true });
    assert.equal(config.webhook.name, 'jira-port-stream');
    assert.equal(config.webhook.publicUrl, undefined);
  });

  test('secrets come from the environment', () => {
    const config = decode(MINIMAL, { ...ENV, FEED_TOKEN: 'feed-token' });

    assert.equal(config.jira.apiToken, 'jira-token');
    assert.equal(config.port.clientSecret, 'port-secret');
    assert.equal(config.webhook.secret, 'webhook-secret');
    assert.equal(config.feed.token, 'feed-token');
  });

  test('relative paths resolve against the file folder', () => {
    const config = decode({ ...MINIMAL, eventLog: { path: 'state/events.db' } });

    assert.equal(config.eventLog.path, '/srv/jps/state/events.db');
  });

  test('trailing slashes leave URLs', () => {
    const config = decode({ ...MINIMAL, webhook: { publicUrl: 'https://jps.example.com/' } });

    assert.equal(config.webhook.publicUrl, 'https://jps.example.com');
  });

  test('LOG_LEVEL overrides logging.level', () => {
    const config = decode({ ...MINIMAL, logging: { level: 'warn' } }, { ...ENV, LOG_LEVEL: 'debug' });

    assert.equal(config.logging.level, 'debug');
  });

  test('invalid LOG_LEVEL names the variable', () => {
    const problem = problemAt(MINIMAL, 'LOG_LEVEL', { ...ENV, LOG_LEVEL: 'loud' });

    assert.match(problem.problem, /"loud" is not a log level/);
    assert.match(problem.fix, /one of fatal, error, warn, info, debug, trace, silent/);
  });

  test('secret in the file names its variable', () => {
    const problem = problemAt({ ...MINIMAL, port: { clientId: 'id', clientSecret: 'leaked' } }, 'port.clientSecret');

    assert.match(problem.problem, /not read from the configuration file/);
    assert.match(problem.fix, /PORT_CLIENT_SECRET/);
  });

  test('secret value never in the message', () => {
    const all = problems({ ...MINIMAL, jira: { ...MINIMAL.jira, apiToken: 'do-not-echo-me' } });

    assert.doesNotMatch(JSON.stringify(all), /do-not-echo-me/);
  });

  test('typo suggests the sibling key', () => {
    const problem = problemAt({ ...MINIMAL, server: { prot: 8000 } }, 'server.prot');

    assert.equal(problem.problem, 'unknown key');
    assert.match(problem.fix, /did you mean "server\.port"\?/);
  });

  test('letter case suggests the key', () => {
    const problem = problemAt({ ...MINIMAL, eventlog: {} }, 'eventlog');

    assert.match(problem.fix, /did you mean "eventLog"\?/);
  });

  test('key in the wrong section suggests its place', () => {
    const problem = problemAt({ ...MINIMAL, server: { publicUrl: 'https://jps.example.com' } }, 'server.publicUrl');

    assert.match(problem.fix, /did you mean "webhook\.publicUrl"\? Move the key there/);
  });

  test('unknown key without a near match lists the known keys', () => {
    const problem = problemAt({ ...MINIMAL, feed: { color: 'blue' } }, 'feed.color');

    assert.match(problem.fix, /remove it; the keys known in feed are allowAnonymous, historySize/);
  });

  test('wrong type names the expected type and an example', () => {
    const problem = problemAt({ ...MINIMAL, server: { port: '80a' } }, 'server.port');

    assert.equal(problem.problem, '"80a" is not a TCP port from 0 to 65535');
    assert.equal(problem.fix, 'set server.port to a TCP port from 0 to 65535, for example 8000');
  });

  test('pipeline knob zero count rejected', () => {
    const problem = problemAt({ ...MINIMAL, pipeline: { fetchConcurrency: 0 } }, 'pipeline.fetchConcurrency');

    assert.equal(problem.problem, '0 is not a positive integer');
  });

  test('Port batch size above its limit', () => {
    const problem = problemAt({ ...MINIMAL, pipeline: { portUpsertBatchSize: 50 } }, 'pipeline.portUpsertBatchSize');

    assert.equal(problem.problem, '50 is not an integer from 1 to 20');
  });

  test('pipeline window of zero accepted', () => {
    const config = decode({ ...MINIMAL, pipeline: { coalesceWindowMs: 0 } });

    assert.equal(config.pipeline.coalesceWindowMs, 0);
  });

  test('invalid URL names the key', () => {
    const problem = problemAt({ ...MINIMAL, jira: { baseUrl: 'example.atlassian.net' } }, 'jira.baseUrl');

    assert.equal(problem.problem, '"example.atlassian.net" is not an absolute http(s) URL');
    assert.match(problem.fix, /for example https:\/\/your-site\.atlassian\.net/);
  });

  test('missing required key', () => {
    const problem = problemAt({ jira: MINIMAL.jira, port: {} }, 'port.clientId');

    assert.equal(problem.problem, 'missing');
    assert.match(problem.fix, /add port\.clientId/);
  });

  test('section given as a scalar lists its keys', () => {
    const problem = problemAt({ ...MINIMAL, readiness: 5 }, 'readiness');

    assert.equal(problem.problem, 'is 5, not a mapping of keys');
    assert.equal(problem.fix, 'write readiness as a mapping with the keys maxBacklog, maxContactAgeMs');
  });

  test('every problem reported at once', () => {
    const keys = problems({ jira: { baseUrl: 'nope' }, port: { clientId: 'id' }, server: { hots: 'x', port: -1 } }).map((problem) => problem.key);

    assert.deepEqual(keys.sort(), ['jira.baseUrl', 'server.hots', 'server.port']);
  });

  test('empty file', () => {
    const problem = problemAt(null, '(file)');

    assert.equal(problem.problem, 'is empty');
  });

  test('list instead of a mapping', () => {
    const problem = problemAt(['jira'], '(file)');

    assert.equal(problem.problem, 'is a list, not a mapping of keys');
  });

  test('missing Jira credentials', () => {
    const problem = problemAt(MINIMAL, 'jira', { PORT_CLIENT_SECRET: 'p', WEBHOOK_SECRET: 'w' });

    assert.match(problem.fix, /JIRA_API_TOKEN .* or JIRA_BEARER_TOKEN/);
  });

  test('API token without email', () => {
    const problem = problemAt({ ...MINIMAL, jira: { baseUrl: 'https://example.atlassian.net' } }, 'jira.email');

    assert.match(problem.problem, /needs the account's email/);
  });

  test('missing webhook secret', () => {
    const problem = problemAt(MINIMAL, 'webhook.secret', { JIRA_API_TOKEN: 't', PORT_CLIENT_SECRET: 'p' });

    assert.match(problem.fix, /WEBHOOK_SECRET .* webhook\.allowUnsigned: true/);
  });

  test('mapping file not found', () => {
    const problem = problemAt({ ...MINIMAL, mapping: './missing-mapping.yaml' }, 'mapping');

    assert.equal(problem.problem, 'no file at /srv/jps/missing-mapping.yaml');
  });
});

describe('loadServiceConfig', () => {
  const folder = mkdtempSync(join(tmpdir(), 'jps-config-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('names the file in the message', () => {
    const path = join(folder, 'typo.yaml');
    writeFileSync(path, 'jira:\n  baseUrl: https://example.atlassian.net\n  email: bot@example.com\nport:\n  clientId: id\nsevrer:\n  port: 8000\n');

    assert.throws(() => loadServiceConfig(path, ENV), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.source, path);
      assert.match(error.message, new RegExp(`invalid configuration in ${path}:\\n  - sevrer: unknown key. Fix: did you mean "server"\\?`));
      return true;
    });
  });

  test('invalid YAML', () => {
    const path = join(folder, 'broken.yaml');
    writeFileSync(path, 'jira: [unclosed\n');

    assert.throws(() => loadServiceConfig(path, ENV), /\(file\): is not valid YAML/);
  });

  test('missing file', () => {
    assert.throws(() => loadServiceConfig(join(folder, 'absent.yaml'), ENV), /cannot read .*absent\.yaml \(ENOENT\)/);
  });
});
