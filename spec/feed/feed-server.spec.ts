import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import { Subject } from 'rxjs';
import { WebSocket } from 'ws';
import type { ProcessedResult } from '../../src/core/results.js';
import { attachFeed } from '../../src/feed/feed-server.js';
import { FeedOptionInvalidError } from '../../src/feed/errors.js';
import { MemoryResultHistory } from '../../src/feed/history.js';
import { projectResult } from '../../src/feed/projection.js';
import {
  TEST_TOKEN,
  FeedTestClient,
  expectRejectedHandshake,
  makeResult,
  pushRange,
  range,
  startFeedServer,
} from './feed-fixture.js';

const GUARD = { timeout: 20_000 };

describe('attachFeed', () => {
  test('feed sends live results', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN }));

    pushRange(fixture, 1, 3);
    await client.waitForOffset(3);

    assert.deepEqual(client.offsets(), [1, 2, 3]);
    assert.deepEqual(client.messages[0], JSON.parse(JSON.stringify(makeResult(1))));
    assert.equal(fixture.feed.clientCount(), 1);
  });

  test('feed strips unknown fields', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN }));
    const base = makeResult(1);
    const withExtras = {
      ...base,
      payload: { issue: { fields: { summary: 'secret summary' } } },
      work: base.work.map((work) => ({ ...work, rawResult: { apiToken: 'x' } })),
      timings: { ...base.timings, debug: true },
    } as ProcessedResult;

    fixture.results.next(withExtras);
    await client.waitForOffset(1);

    const message = client.messages[0] as Record<string, unknown>;
    assert.equal('payload' in message, false);
    assert.equal('rawResult' in ((message['work'] as Record<string, unknown>[])[0] ?? {}), false);
    assert.equal('debug' in (message['timings'] as Record<string, unknown>), false);
    assert.deepEqual(message, JSON.parse(JSON.stringify(projectResult(base))));
  });

  test('token via header accepted', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());

    const client = await FeedTestClient.connect(fixture.feedUrl(), { headers: { Authorization: `Bearer ${TEST_TOKEN}` } });
    pushRange(fixture, 1, 1);

    await client.waitForOffset(1);
    assert.deepEqual(client.offsets(), [1]);
  });

  test('token via query accepted', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());

    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN }));
    pushRange(fixture, 1, 1);

    await client.waitForOffset(1);
    assert.deepEqual(client.offsets(), [1]);
  });

  test('wrong token rejected with 401', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());

    const viaQuery = await expectRejectedHandshake(fixture.feedUrl({ token: 'not-the-token' }));
    const viaHeader = await expectRejectedHandshake(fixture.feedUrl(), { headers: { Authorization: 'Bearer not-the-token' } });

    assert.equal(viaQuery.status, 401);
    assert.equal(viaQuery.body['error'], 'unauthorized');
    assert.match(String(viaQuery.headers['www-authenticate']), /^Bearer/);
    assert.equal(viaHeader.status, 401);
    assert.equal(fixture.feed.counters().handshakesRejected, 2);
    assert.equal(fixture.feed.clientCount(), 0);
  });

  test('missing token rejected with 401', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());

    const rejected = await expectRejectedHandshake(fixture.feedUrl());

    assert.equal(rejected.status, 401);
    assert.match(String(rejected.body['message']), /Authorization: Bearer/);
  });

  test('header token wins over query token', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());

    const rejected = await expectRejectedHandshake(fixture.feedUrl({ token: TEST_TOKEN }), {
      headers: { Authorization: 'Bearer not-the-token' },
    });

    assert.equal(rejected.status, 401);
  });

  test('disabled feed rejected with 404', GUARD, async (t) => {
    const fixture = await startFeedServer({});
    t.after(() => fixture.close());

    const rejected = await expectRejectedHandshake(fixture.feedUrl({ token: TEST_TOKEN }));

    assert.equal(rejected.status, 404);
    assert.equal(rejected.body['error'], 'feed_disabled');
    assert.match(String(rejected.body['message']), /feed\.token/);
    assert.match(String(rejected.body['message']), /FEED_TOKEN/);
    assert.match(String(rejected.body['message']), /feed\.allowAnonymous/);
  });

  test('empty token disables feed', GUARD, async (t) => {
    const fixture = await startFeedServer({ token: '' });
    t.after(() => fixture.close());

    const rejected = await expectRejectedHandshake(fixture.feedUrl());

    assert.equal(rejected.status, 404);
  });

  test('anonymous feed needs no token', GUARD, async (t) => {
    const fixture = await startFeedServer({ allowAnonymous: true });
    t.after(() => fixture.close());

    const client = await FeedTestClient.connect(fixture.feedUrl());
    pushRange(fixture, 1, 2);

    await client.waitForOffset(2);
    assert.deepEqual(client.offsets(), [1, 2]);
  });

  test('token overrides allowAnonymous', GUARD, async (t) => {
    const fixture = await startFeedServer({ token: TEST_TOKEN, allowAnonymous: true });
    t.after(() => fixture.close());

    const rejected = await expectRejectedHandshake(fixture.feedUrl());

    assert.equal(rejected.status, 401);
  });

  test('unknown outcome rejected with 400', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());

    const rejected = await expectRejectedHandshake(fixture.feedUrl({ token: TEST_TOKEN, outcomes: 'failed,exploded' }));

    assert.equal(rejected.status, 400);
    assert.equal(rejected.body['parameter'], 'outcomes');
    assert.equal(rejected.body['value'], 'exploded');
    assert.match(String(rejected.body['message']), /exploded/);
  });

  test('invalid query rejected with 400', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());

    const badFrom = await expectRejectedHandshake(fixture.feedUrl({ token: TEST_TOKEN, from: '-3' }));
    const unknown = await expectRejectedHandshake(fixture.feedUrl({ token: TEST_TOKEN, kind: 'issue' }));

    assert.equal(badFrom.status, 400);
    assert.equal(badFrom.body['parameter'], 'from');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body['parameter'], 'kind');
  });

  test('query checked after token', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());

    const rejected = await expectRejectedHandshake(fixture.feedUrl({ outcomes: 'exploded' }));

    assert.equal(rejected.status, 401);
  });

  test('kinds filter matches any kind', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN, kinds: 'project,sprint' }));

    fixture.results.next(makeResult(1, { kinds: ['issue'] }));
    fixture.results.next(makeResult(2, { kinds: ['project'] }));
    fixture.results.next(makeResult(3, { kinds: [] }));
    fixture.results.next(makeResult(4, { kinds: ['issue', 'sprint'] }));
    fixture.results.next(makeResult(5, { kinds: ['sprint'] }));
    await client.waitForOffset(5);

    assert.deepEqual(client.offsets(), [2, 4, 5]);
  });

  test('outcomes filter', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN, outcomes: 'failed,rejected' }));

    fixture.results.next(makeResult(1, { outcome: 'upserted' }));
    fixture.results.next(makeResult(2, { outcome: 'failed', error: 'Port returned 500' }));
    fixture.results.next(makeResult(3, { outcome: 'ignored', reason: 'kind not mapped' }));
    fixture.results.next(makeResult(4, { outcome: 'dead-lettered' }));
    fixture.results.next(makeResult(5, { outcome: 'rejected', reason: 'invalid signature' }));
    await client.waitForOffset(5);

    assert.deepEqual(client.offsets(), [2, 5]);
  });

  test('events filter', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN, events: 'jira:issue_updated' }));

    fixture.results.next(makeResult(1, { webhookEvent: 'jira:issue_created' }));
    fixture.results.next(makeResult(2, { webhookEvent: null }));
    fixture.results.next(makeResult(3, { webhookEvent: 'project_updated' }));
    fixture.results.next(makeResult(4, { webhookEvent: 'jira:issue_updated' }));
    await client.waitForOffset(4);

    assert.deepEqual(client.offsets(), [4]);
  });

  test('filters combine with and', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN, kinds: 'issue', outcomes: 'deleted' }));

    fixture.results.next(makeResult(1, { kinds: ['issue'], outcome: 'upserted' }));
    fixture.results.next(makeResult(2, { kinds: ['project'], outcome: 'deleted' }));
    fixture.results.next(makeResult(3, { kinds: ['issue'], outcome: 'deleted' }));
    await client.waitForOffset(3);

    assert.deepEqual(client.offsets(), [3]);
  });

  test('close sends 1001 to every client', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const first = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN }));
    const second = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN, kinds: 'project' }));

    await fixture.feed.close();
    const [firstClose, secondClose] = await Promise.all([first.closed, second.closed]);

    assert.equal(firstClose.code, 1001);
    assert.equal(firstClose.reason, 'server shutting down');
    assert.equal(secondClose.code, 1001);
    assert.equal(fixture.feed.clientCount(), 0);
  });

  test('results error closes with 1011', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN }));

    fixture.results.error(new Error('pipeline stopped'));
    const closed = await client.closed;
    const rejected = await expectRejectedHandshake(fixture.feedUrl({ token: TEST_TOKEN }));

    assert.equal(closed.code, 1011);
    assert.equal(rejected.status, 503);
  });

  test('results complete closes with 1001', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN }));

    fixture.results.complete();
    const closed = await client.closed;

    assert.equal(closed.code, 1001);
    assert.equal(closed.reason, 'results stream ended');
  });

  test('other path rejected with 404', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());

    const rejected = await expectRejectedHandshake(fixture.feedUrl().replace('/feed', '/elsewhere'));

    assert.equal(rejected.status, 404);
  });

  test('results recorded without clients', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());

    pushRange(fixture, 1, 4);

    assert.deepEqual(fixture.history.after(0, 10).map((result) => result.offset), range(1, 4));
  });

  test('invalid options rejected', () => {
    const history = new MemoryResultHistory();
    const server = createServer();
    const results = new Subject<ProcessedResult>();

    assert.throws(() => attachFeed(server, results, { history, maxBufferedMessages: 0 }), FeedOptionInvalidError);
    assert.throws(() => attachFeed(server, results, { history, maxBufferedBytes: 1.5 }), FeedOptionInvalidError);
    assert.throws(() => attachFeed(server, results, { history, pingIntervalMs: -1 }), FeedOptionInvalidError);
    assert.throws(() => attachFeed(server, results, { history, path: 'feed' }), FeedOptionInvalidError);
  });

  test('client messages are ignored', GUARD, async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());
    const client = await FeedTestClient.connect(fixture.feedUrl({ token: TEST_TOKEN }));

    client.socket.send('hello');
    pushRange(fixture, 1, 1);
    await client.waitForOffset(1);

    assert.equal(client.socket.readyState, WebSocket.OPEN);
  });
});
