import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { verifySignature } from '../../src/ingress/signature.js';
import { ReplayOptionError, StateMismatchError } from '../../src/replay/errors.js';
import { generateStream, type GeneratedStream, type GenerateOptions } from '../../src/replay/generate-stream.js';
import { readStateFile, writeStateFile } from '../../src/replay/state-file.js';
import { loadStateInto, loadStateOverHttp } from '../../src/replay/state-loader.js';
import { startJiraSimulator } from '../../src/simulators/jira/index.js';
import { tempDirectory } from './replay-fixture.js';

const SMALL: Partial<GenerateOptions> = {
  deliveries: 400,
  issues: 40,
  projects: 3,
  users: 5,
  seed: 11,
  duplicateRate: 0.05,
  reorderRate: 0.2,
  secret: 'generator-secret',
  startAt: Date.UTC(2026, 0, 5, 9),
};

interface Parsed {
  readonly identifier: string;
  readonly retry: string | undefined;
  readonly event: string;
  readonly timestamp: number;
  readonly body: Record<string, unknown>;
}

function parsed(stream: GeneratedStream): Parsed[] {
  return stream.deliveries.map((delivery) => {
    const body = JSON.parse(delivery.body.toString('utf8')) as Record<string, unknown>;
    return {
      identifier: delivery.headers['x-atlassian-webhook-identifier'] ?? '',
      retry: delivery.headers['x-atlassian-webhook-retry'],
      event: String(body['webhookEvent']),
      timestamp: Number(body['timestamp']),
      body,
    };
  });
}

describe('generateStream', () => {
  let stream: GeneratedStream;
  let deliveries: Parsed[];
  before(async () => {
    stream = await generateStream(SMALL);
    deliveries = parsed(stream);
  });

  test('writes exactly the requested deliveries', () => {
    assert.equal(stream.deliveries.length, 400);
    assert.equal(stream.summary.deliveries, 400);
    assert.equal(stream.summary.unique + stream.summary.retries, 400);
  });

  test('same seed gives the same stream', async () => {
    const again = parsed(await generateStream(SMALL));
    assert.deepEqual(again.map((delivery) => delivery.identifier), deliveries.map((delivery) => delivery.identifier));
    assert.deepEqual(again.map((delivery) => delivery.event), deliveries.map((delivery) => delivery.event));
    assert.deepEqual((await generateStream(SMALL)).state.operations, stream.state.operations);
  });

  test('another seed gives another stream', async () => {
    const other = parsed(await generateStream({ ...SMALL, seed: 12 }));
    assert.notDeepEqual(other.map((delivery) => delivery.identifier), deliveries.map((delivery) => delivery.identifier));
  });

  test('first deliveries create the projects', () => {
    assert.deepEqual(deliveries.slice(0, 3).map((delivery) => delivery.event), ['project_created', 'project_created', 'project_created']);
  });

  test('creates every issue asked for', () => {
    assert.equal(stream.summary.byEvent['jira:issue_created'], 40);
  });

  test('updates carry changelogs', () => {
    const updates = deliveries.filter((delivery) => delivery.event === 'jira:issue_updated');
    assert.ok(updates.length > 100);
    assert.ok(updates.every((delivery) => Array.isArray((delivery.body['changelog'] as { items?: unknown })?.items)));
  });

  test('bodies have the shape of Jira payloads', () => {
    const created = deliveries.find((delivery) => delivery.event === 'jira:issue_created')?.body;
    const issue = created?.['issue'] as { id?: unknown; key?: unknown; fields?: Record<string, unknown> } | undefined;
    assert.equal(typeof issue?.id, 'string');
    assert.match(String(issue?.key), /^[A-Z]+-\d+$/);
    assert.equal(typeof (issue?.fields?.['status'] as { name?: unknown })?.name, 'string');
    assert.equal(created?.['issue_event_type_name'], 'issue_created');
  });

  test('retries repeat an identifier with the retry header', () => {
    const retries = deliveries.filter((delivery) => delivery.retry === '1');
    assert.equal(retries.length, stream.summary.retries);
    assert.ok(retries.length > 0);
    for (const retry of retries) {
      const first = deliveries.findIndex((delivery) => delivery.identifier === retry.identifier);
      assert.equal(deliveries[first]?.retry, undefined);
      assert.ok(first < deliveries.indexOf(retry));
    }
  });

  test('late deliveries arrive after newer ones', () => {
    const overtaken = deliveries.filter((delivery, index) => deliveries.slice(0, index).some((earlier) => earlier.timestamp > delivery.timestamp));
    assert.ok(overtaken.length > 0);
    assert.ok(overtaken.every((delivery) => delivery.event.startsWith('jira:issue_') || delivery.event.startsWith('comment_') || delivery.retry === '1'));
  });

  test('receive times start at startAt and never go back', () => {
    const times = stream.deliveries.map((delivery) => delivery.receivedAt);
    assert.equal(times[0], SMALL.startAt);
    assert.ok(times.every((time, index) => index === 0 || time >= (times[index - 1] as number)));
  });

  test('signatures verify with the secret', () => {
    for (const delivery of stream.deliveries) {
      assert.deepEqual(verifySignature('generator-secret', delivery.body, delivery.headers['x-hub-signature']), { ok: true });
    }
  });

  test('state final matches the simulator after loading', async (t) => {
    const jira = await startJiraSimulator();
    t.after(() => jira.close());

    loadStateInto(jira.state, stream.state);
    assert.equal(jira.state.issues().length, stream.state.final.issues.length);
  });

  test('state loads over the admin API', async (t) => {
    const jira = await startJiraSimulator();
    t.after(() => jira.close());

    await loadStateOverHttp(jira.url, stream.state);
    assert.deepEqual(jira.state.issues().map((issue) => issue.key), stream.state.final.issues.map((issue) => issue.key));
  });

  test('tampered final state is reported', async (t) => {
    const jira = await startJiraSimulator();
    t.after(() => jira.close());
    const [first, ...rest] = stream.state.final.issues;
    const tampered = { ...stream.state, final: { ...stream.state.final, issues: [{ id: first?.id ?? '', key: 'WRONG-1' }, ...rest] } };

    assert.throws(() => loadStateInto(jira.state, tampered), (error: unknown) => error instanceof StateMismatchError && /WRONG-1/.test(error.message));
  });

  test('state file round trip', async (t) => {
    const path = join(tempDirectory(t), 'state.json');
    await writeStateFile(path, stream.state);
    assert.deepEqual(await readStateFile(path), stream.state);
  });

  test('invalid options are rejected', async () => {
    const cases: Array<[Partial<GenerateOptions>, string]> = [
      [{ deliveries: 0 }, 'deliveries'],
      [{ projects: 0 }, 'projects'],
      [{ duplicateRate: 1 }, 'duplicateRate'],
      [{ skew: 0.5 }, 'skew'],
      [{ ratePerSecond: 0 }, 'ratePerSecond'],
    ];
    for (const [options, option] of cases) {
      await assert.rejects(generateStream(options), (error: unknown) => error instanceof ReplayOptionError && error.option === option, option);
    }
  });
});

describe('generateStream mix', () => {
  test('larger stream has every event family', async () => {
    const stream = await generateStream({ deliveries: 3000, issues: 200, projects: 6, seed: 5 });
    const events = new Set(Object.keys(stream.summary.byEvent));
    for (const event of ['project_created', 'project_updated', 'jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'user_created', 'user_updated', 'user_deleted']) {
      assert.ok(events.has(event), event);
    }
    const lifecycle = [...events].filter((event) => /^project_(archived|restored_archived|soft_deleted|restored_deleted|deleted)$/.test(event));
    assert.ok(lifecycle.length > 0, `no archive, trash or purge among ${[...events].join(', ')}`);
  });

  test('moves change issue keys', async () => {
    const stream = await generateStream({ deliveries: 1500, issues: 100, projects: 4, seed: 5 });
    const moves = stream.state.operations.filter((operation) => operation.op === 'moveIssue');
    assert.ok(moves.length > 0);
    const keyChanges = stream.deliveries.filter((delivery) => delivery.headers['x-atlassian-webhook-retry'] === undefined && delivery.body.includes('"field":"Key"'));
    assert.equal(keyChanges.length, moves.length);
  });

  test('popular issues get most changes', async () => {
    const stream = await generateStream({ deliveries: 3000, issues: 100, projects: 3, seed: 9 });
    const changes = new Map<string, number>();
    for (const operation of stream.state.operations) {
      if (operation.op === 'updateIssue' || operation.op === 'addComment') changes.set(operation.issueId, (changes.get(operation.issueId) ?? 0) + 1);
    }
    const counts = [...changes.values()].sort((left, right) => right - left);
    const total = counts.reduce((sum, count) => sum + count, 0);
    const topTenth = counts.slice(0, 10).reduce((sum, count) => sum + count, 0);
    assert.ok(topTenth / total > 0.3, `top 10 issues got ${topTenth} of ${total} changes`);
  });
});
