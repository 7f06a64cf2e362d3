import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { silentLogger } from '../../src/core/logger.js';
import { toIncomingDelivery } from '../../src/ingress/to-delivery.js';
import { MemoryEventLog } from '../../src/log/memory-event-log.js';
import { Reachability } from '../../src/service/reachability.js';
import { Readiness, type ReadinessCheck, type ReadinessOptions } from '../../src/service/readiness.js';
import { startService } from '../../src/service/service.js';
import { startJiraSimulator } from '../../src/simulators/jira/index.js';
import { startPortSimulator } from '../../src/simulators/port/index.js';
import { JIRA_EMAIL, JIRA_TOKEN } from '../support/harness.js';
import { serviceConfig } from '../support/service-harness.js';
import { captureLogs } from './log-capture.js';

const SETTINGS = { maxBacklog: 2, maxContactAgeMs: 60_000 };

/** Creates a readiness whose probes record a good contact, so only the log decides. */
function readinessOf(log: MemoryEventLog, options: Partial<ReadinessOptions> = {}): Readiness {
  const reachability = new Reachability();
  const probes = {
    jira: async () => reachability.record('jira', { endpoint: 'GET /rest/api/3/mypermissions', status: 200 }),
    port: async () => reachability.record('port', { endpoint: 'POST /v1/auth/access_token', status: 200 }),
  };
  return new Readiness({ log, reachability, settings: SETTINGS, probes, ...options });
}

async function append(log: MemoryEventLog, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await log.append(toIncomingDelivery({ 'x-atlassian-webhook-identifier': `delivery-${i}` }, Buffer.from('{}'), Date.now()));
}

function checkNamed(checks: readonly ReadinessCheck[], name: ReadinessCheck['name']): ReadinessCheck {
  const found = checks.find((check) => check.name === name);
  assert.ok(found, `no ${name} check`);
  return found;
}

describe('Readiness', () => {
  test('ready with an empty log', async () => {
    const report = await readinessOf(new MemoryEventLog()).check();

    assert.equal(report.ready, true, JSON.stringify(report.checks));
  });

  test('backlog at the maximum is ready', async () => {
    const log = new MemoryEventLog();
    await append(log, 2);

    assert.equal((await readinessOf(log).check()).ready, true);
  });

  test('backlog above the maximum', async () => {
    const log = new MemoryEventLog();
    await append(log, 3);

    const report = await readinessOf(log).check();

    assert.equal(report.ready, false);
    assert.equal(checkNamed(report.checks, 'backlog').detail, '3 deliveries above the checkpoint (maximum 2)');
  });

  test('closed log', async () => {
    const log = new MemoryEventLog();
    await log.close();

    const report = await readinessOf(log).check();

    assert.equal(checkNamed(report.checks, 'eventLog').ok, false);
  });

  test('stopping', async () => {
    const readiness = readinessOf(new MemoryEventLog());
    readiness.stopAccepting();

    const report = await readiness.check();

    assert.equal(report.ready, false);
    assert.equal(checkNamed(report.checks, 'accepting').detail, 'shutting down');
  });

  test('failed probe', async () => {
    const reachability = new Reachability();
    const probes = {
      jira: async () => reachability.record('jira', { endpoint: 'GET /rest/api/3/mypermissions', status: 401 }),
      port: async () => reachability.record('port', { endpoint: 'POST /v1/auth/access_token', status: 200 }),
    };

    const report = await new Readiness({ log: new MemoryEventLog(), reachability, settings: SETTINGS, probes }).check();

    assert.equal(checkNamed(report.checks, 'jira').detail, 'no good response within 60000 ms (last failure: 401 GET /rest/api/3/mypermissions)');
    assert.equal(checkNamed(report.checks, 'port').ok, true);
  });

  test('recent contact needs no probe', async () => {
    const reachability = new Reachability();
    reachability.record('jira', { endpoint: 'POST /rest/api/3/search/jql', status: 200 });
    reachability.record('port', { endpoint: 'POST /v1/blueprints/{bp}/entities/bulk', status: 200 });
    let probes = 0;
    const count = async (): Promise<void> => void (probes += 1);

    await new Readiness({ log: new MemoryEventLog(), reachability, settings: SETTINGS, probes: { jira: count, port: count } }).check();

    assert.equal(probes, 0);
  });

  test('concurrent checks share one probe', async () => {
    const reachability = new Reachability();
    let probes = 0;
    const probe = (system: 'jira' | 'port') => async (): Promise<void> => {
      probes += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      reachability.record(system, { endpoint: 'probe', status: 200 });
    };
    const readiness = new Readiness({ log: new MemoryEventLog(), reachability, settings: SETTINGS, probes: { jira: probe('jira'), port: probe('port') } });

    await Promise.all([readiness.check(), readiness.check(), readiness.check()]);

    assert.equal(probes, 2);
  });

  test('logs a change once', async () => {
    const log = new MemoryEventLog();
    await append(log, 3);
    const logs = captureLogs();
    const readiness = readinessOf(log, { logger: logs.logger });

    await readiness.check();
    await readiness.check();

    assert.deepEqual(logs.lines().map((line) => line['msg']), ['service not ready']);
  });
});

describe('GET /readyz', () => {
  test('ready, then not ready without Port', async (t) => {
    const jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN } });
    const port = await startPortSimulator();
    const dataDir = mkdtempSync(join(tmpdir(), 'jps-readyz-'));
    const config = { ...serviceConfig(jira, port, dataDir), readiness: { maxBacklog: 100, maxContactAgeMs: 1 } };
    const service = await startService(config, silentLogger());
    t.after(async () => {
      await service.close();
      await jira.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const ready = await fetch(`${service.url}/readyz`);
    const readyBody = (await ready.json()) as { status: string };
    await port.close();
    const notReady = await fetch(`${service.url}/readyz`);
    const notReadyBody = (await notReady.json()) as { status: string; checks: ReadinessCheck[] };

    assert.equal(ready.status, 200, JSON.stringify(readyBody));
    assert.equal(readyBody.status, 'ready');
    assert.equal(notReady.status, 503);
    assert.equal(notReadyBody.status, 'not ready');
    assert.match(checkNamed(notReadyBody.checks, 'port').detail, /last failure: error POST \/v1\/auth\/access_token/);
    assert.equal(checkNamed(notReadyBody.checks, 'jira').ok, true);
  });

  test('healthz answers while readiness fails', async (t) => {
    const jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: 'another-token' } });
    const port = await startPortSimulator();
    const dataDir = mkdtempSync(join(tmpdir(), 'jps-readyz-'));
    const service = await startService(serviceConfig(jira, port, dataDir), silentLogger());
    t.after(async () => {
      await service.close();
      await jira.close();
      await port.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const health = await fetch(`${service.url}/healthz`);
    const readiness = await fetch(`${service.url}/readyz`);
    const body = (await readiness.json()) as { checks: ReadinessCheck[] };
    await health.arrayBuffer();

    assert.equal(health.status, 200);
    assert.equal(readiness.status, 503);
    assert.match(checkNamed(body.checks, 'jira').detail, /last failure: 401 GET \/rest\/api\/3\/mypermissions/);
  });
});
