import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, test, type TestContext } from 'node:test';
import { createLogger, type Logger } from '../../src/core/logger.js';
import { WebhookConfigError } from '../../src/ingress/errors.js';
import { signBody } from '../../src/ingress/signature.js';
import {
  createWebhookHandler,
  type AcceptedDelivery,
  type WebhookHandler,
  type WebhookHandlerOptions,
} from '../../src/ingress/webhook-handler.js';
import { MemoryEventLog } from '../../src/log/memory-event-log.js';

const SECRET = 'ingress-spec-secret';
const PAYLOAD = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { id: '10001', key: 'PROJ-1' } });
const IDENTIFIER = '75d1c0d6-7a04-4c59-9c40-8e8a2f0b1c3d';

interface Harness {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  readonly log: MemoryEventLog;
  readonly handler: WebhookHandler;
  readonly accepted: AcceptedDelivery[];
}

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** Start a node:http server on 127.0.0.1 that routes every request to a new handler. */
async function startIngress(t: TestContext, options: Partial<WebhookHandlerOptions> = {}): Promise<Harness> {
  const log = new MemoryEventLog();
  const accepted: AcceptedDelivery[] = [];
  const handler = createWebhookHandler({ log, secret: SECRET, onAccepted: (info) => accepted.push(info), ...options });
  const server = createServer((request, response) => handler.handle(request, response));
  await listen(server);
  t.after(async () => {
    await closeServer(server);
    await log.close();
  });

  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/integration/webhook`, port, server, log, handler, accepted };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** Create a pino logger that collects its JSON lines in memory. */
function captureLogs(level = 'info'): { logger: Logger; text: () => string } {
  const lines = new PassThrough();
  const output: string[] = [];
  lines.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  return { logger: createLogger({ level, destination: lines }), text: () => output.join('') };
}

/** Headers of a signed Jira Cloud delivery of `body`. */
function jiraHeaders(body: string | Buffer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'application/json; charset=UTF-8',
    'user-agent': 'Atlassian Webhook HTTP Client',
    'x-atlassian-webhook-identifier': IDENTIFIER,
    'x-atlassian-webhook-flow': 'Primary',
    'x-hub-signature': signBody(SECRET, body),
    ...extra,
  };
}

async function post(url: string, body: string | Buffer, headers: Record<string, string>): Promise<Reply> {
  // Copy a Buffer into a plain Uint8Array, which the DOM typing of fetch accepts as a body.
  const payload = typeof body === 'string' ? body : Uint8Array.from(body);
  const response = await fetch(url, { method: 'POST', headers, body: payload });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/** Send a request with node:http, for bodies that fetch cannot produce (chunked, partial). */
function rawRequest(
  port: number,
  headers: Record<string, string>,
  writeBody: (request: ClientRequest) => void,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/integration/webhook', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      });
    });
    request.on('error', reject);
    writeBody(request);
  });
}

describe('webhook handler', () => {
  test('signed delivery returns 202 and is stored', async (t) => {
    const ingress = await startIngress(t);

    const reply = await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD, { cookie: 'session=abc' }));

    assert.equal(reply.status, 202);
    assert.deepEqual(reply.body, { deliveryId: IDENTIFIER, offset: 1, duplicate: false });
    const [stored] = ingress.log.readAfter(0, 10);
    assert.ok(stored);
    assert.equal(stored.body.toString('utf8'), PAYLOAD);
    assert.equal(stored.deliveryId, IDENTIFIER);
    assert.equal(stored.headers['x-atlassian-webhook-flow'], 'Primary');
    assert.equal(stored.headers['cookie'], undefined);
    assert.deepEqual(ingress.accepted, [{ deliveryId: IDENTIFIER, offset: 1, duplicate: false }]);
  });

  test('same identifier twice returns duplicate', async (t) => {
    const ingress = await startIngress(t);

    await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD));
    const retry = await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD, { 'x-atlassian-webhook-retry': '1' }));

    assert.equal(retry.status, 200);
    assert.deepEqual(retry.body, { deliveryId: IDENTIFIER, offset: 1, duplicate: true });
    assert.equal(ingress.log.headOffset(), 1);
    assert.equal(ingress.log.readAfter(0, 10).length, 1);
    assert.equal(ingress.accepted[1]?.duplicate, true);
  });

  test('missing identifier uses body hash', async (t) => {
    const ingress = await startIngress(t);
    const headers = jiraHeaders(PAYLOAD);
    delete headers['x-atlassian-webhook-identifier'];

    const reply = await post(ingress.url, PAYLOAD, headers);

    const hash = createHash('sha256').update(PAYLOAD).digest('hex');
    assert.equal(reply.status, 202);
    assert.equal(reply.body['deliveryId'], `sha256:${hash}`);
  });

  test('overlong identifier returns 400', async (t) => {
    const ingress = await startIngress(t);

    const reply = await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD, { 'x-atlassian-webhook-identifier': 'x'.repeat(300) }));

    assert.equal(reply.status, 400);
    assert.equal(reply.body['error'], 'invalid_delivery_id');
    assert.equal(ingress.log.headOffset(), 0);
  });

  test('payload without webhookEvent returns 202', async (t) => {
    const ingress = await startIngress(t);
    const body = JSON.stringify({ issue: { id: '1' } });

    const reply = await post(ingress.url, body, jiraHeaders(body));

    assert.equal(reply.status, 202);
    assert.equal(ingress.log.headOffset(), 1);
  });

  test('GET returns 405 with Allow', async (t) => {
    const ingress = await startIngress(t);

    const response = await fetch(ingress.url);
    const body = (await response.json()) as Record<string, unknown>;

    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
    assert.equal(body['error'], 'method_not_allowed');
    assert.match(String(body['message']), /GET/);
  });

  test('text/plain returns 415', async (t) => {
    const ingress = await startIngress(t);

    const reply = await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD, { 'content-type': 'text/plain' }));

    assert.equal(reply.status, 415);
    assert.equal(reply.body['error'], 'unsupported_media_type');
    assert.match(String(reply.body['message']), /text\/plain/);
  });

  test('missing content type returns 415', async (t) => {
    const ingress = await startIngress(t);
    const headers = jiraHeaders(PAYLOAD);
    delete headers['content-type'];

    // A Buffer body makes fetch send no Content-Type of its own.
    const reply = await post(ingress.url, Buffer.from(PAYLOAD), headers);

    assert.equal(reply.status, 415);
    assert.match(String(reply.body['message']), /missing/);
  });

  test('declared length over limit returns 413', async (t) => {
    const ingress = await startIngress(t, { maxBodyBytes: 32 });

    const reply = await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD));

    assert.equal(reply.status, 413);
    assert.equal(reply.body['error'], 'payload_too_large');
    assert.match(String(reply.body['message']), /Content-Length \d+ exceeds the limit of 32 bytes/);
    assert.equal(ingress.log.headOffset(), 0);
  });

  test('chunked body over limit returns 413', async (t) => {
    const ingress = await startIngress(t, { maxBodyBytes: 32 });
    const headers = { ...jiraHeaders(PAYLOAD), 'transfer-encoding': 'chunked' };

    const reply = await rawRequest(ingress.port, headers, (request) => {
      request.write(PAYLOAD.slice(0, 20));
      request.write(PAYLOAD.slice(20, 40));
      request.end(PAYLOAD.slice(40));
    });

    assert.equal(reply.status, 413);
    assert.equal(reply.headers['connection'], 'close');
    assert.match(String(reply.body['message']), /request body exceeds the limit of 32 bytes/);
    assert.equal(ingress.log.headOffset(), 0);
  });

  test('missing signature returns 401', async (t) => {
    const ingress = await startIngress(t);
    const headers = jiraHeaders(PAYLOAD);
    delete headers['x-hub-signature'];

    const reply = await post(ingress.url, PAYLOAD, headers);

    assert.equal(reply.status, 401);
    assert.equal(reply.body['error'], 'missing_signature');
    assert.match(String(reply.body['message']), /X-Hub-Signature/);
    assert.equal(ingress.log.headOffset(), 0);
  });

  test('wrong signature returns 401', async (t) => {
    const ingress = await startIngress(t);

    const reply = await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD, { 'x-hub-signature': signBody('other secret', PAYLOAD) }));

    assert.equal(reply.status, 401);
    assert.equal(reply.body['error'], 'invalid_signature');
    assert.equal(ingress.log.headOffset(), 0);
  });

  test('unknown signature method returns 401', async (t) => {
    const ingress = await startIngress(t);
    const sha1 = `sha1=${createHash('sha1').update(PAYLOAD).digest('hex')}`;

    const reply = await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD, { 'x-hub-signature': sha1 }));

    assert.equal(reply.status, 401);
    assert.equal(reply.body['error'], 'invalid_signature');
    assert.match(String(reply.body['message']), /sha1/);
  });

  test('signature over re-serialised JSON returns 401', async (t) => {
    const ingress = await startIngress(t);
    const spaced = PAYLOAD.replace('{', '{ ');

    const reply = await post(ingress.url, spaced, jiraHeaders(spaced, { 'x-hub-signature': signBody(SECRET, PAYLOAD) }));

    assert.equal(reply.status, 401);
  });

  test('invalid JSON returns 400', async (t) => {
    const ingress = await startIngress(t);
    const body = '{"webhookEvent": ';

    const reply = await post(ingress.url, body, jiraHeaders(body));

    assert.equal(reply.status, 400);
    assert.equal(reply.body['error'], 'invalid_json');
    assert.equal(ingress.log.headOffset(), 0);
  });

  test('invalid UTF-8 returns 400', async (t) => {
    const ingress = await startIngress(t);
    const body = Buffer.concat([Buffer.from('{"name": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);

    const reply = await post(ingress.url, body, jiraHeaders(body));

    assert.equal(reply.status, 400);
    assert.equal(reply.body['error'], 'invalid_json');
    assert.match(String(reply.body['message']), /UTF-8/);
  });

  test('JSON array returns 400', async (t) => {
    const ingress = await startIngress(t);
    const body = '[{"webhookEvent": "jira:issue_updated"}]';

    const reply = await post(ingress.url, body, jiraHeaders(body));

    assert.equal(reply.status, 400);
    assert.equal(reply.body['error'], 'invalid_payload');
    assert.match(String(reply.body['message']), /array/);
  });

  test('JSON null returns 400', async (t) => {
    const ingress = await startIngress(t);

    const reply = await post(ingress.url, 'null', jiraHeaders('null'));

    assert.equal(reply.status, 400);
    assert.equal(reply.body['error'], 'invalid_payload');
  });

  test('not accepting returns 503', async (t) => {
    const ingress = await startIngress(t);
    ingress.handler.setAccepting(false);

    const reply = await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD));

    assert.equal(reply.status, 503);
    assert.equal(reply.headers.get('retry-after'), '5');
    assert.equal(reply.body['error'], 'not_accepting');
    assert.equal(ingress.log.headOffset(), 0);
  });

  test('accepting again returns 202', async (t) => {
    const ingress = await startIngress(t);
    ingress.handler.setAccepting(false);
    ingress.handler.setAccepting(true);

    const reply = await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD));

    assert.equal(reply.status, 202);
  });

  test('failed append returns 503', async (t) => {
    const logs = captureLogs();
    const ingress = await startIngress(t, { logger: logs.logger });
    await ingress.log.close();

    const reply = await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD));

    assert.equal(reply.status, 503);
    assert.equal(reply.body['error'], 'log_unavailable');
    assert.equal(ingress.accepted.length, 0);
    const logged = logs.text();
    assert.match(logged, /"level":50/);
    assert.match(logged, /EventLogClosedError/);
    assert.match(logged, new RegExp(IDENTIFIER));
  });

  test('slow body returns 408', async (t) => {
    const ingress = await startIngress(t, { bodyTimeoutMs: 50 });
    const headers = { ...jiraHeaders(PAYLOAD), 'content-length': String(Buffer.byteLength(PAYLOAD)) };

    // Send 10 bytes of the body and then nothing, as a stalled or slowloris client does.
    const reply = await rawRequest(ingress.port, headers, (request) => request.write(PAYLOAD.slice(0, 10)));

    assert.equal(reply.status, 408);
    assert.equal(reply.body['error'], 'request_timeout');
    assert.equal(ingress.log.headOffset(), 0);
  });

  test('aborted request leaves server serving', async (t) => {
    const logs = captureLogs();
    const ingress = await startIngress(t, { logger: logs.logger });
    const headers = { ...jiraHeaders(PAYLOAD), 'content-length': String(Buffer.byteLength(PAYLOAD)) };
    const received = once(ingress.server, 'request');

    const request = httpRequest({ host: '127.0.0.1', port: ingress.port, method: 'POST', path: '/', headers });
    request.on('error', () => undefined);
    request.write(PAYLOAD.slice(0, 10));
    await received;
    request.destroy();
    await ingress.handler.whenIdle();
    const reply = await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD));

    assert.match(logs.text(), /aborted by the client/);
    assert.equal(reply.status, 202);
    assert.equal(ingress.log.headOffset(), 1);
  });

  test('unsigned delivery accepted when allowed', async (t) => {
    const ingress = await startIngress(t, { secret: undefined, allowUnsigned: true });
    const headers = jiraHeaders(PAYLOAD);
    delete headers['x-hub-signature'];

    const reply = await post(ingress.url, PAYLOAD, headers);

    assert.equal(reply.status, 202);
  });

  test('secret wins over allowUnsigned', async (t) => {
    const ingress = await startIngress(t, { allowUnsigned: true });
    const headers = jiraHeaders(PAYLOAD);
    delete headers['x-hub-signature'];

    const reply = await post(ingress.url, PAYLOAD, headers);

    assert.equal(reply.status, 401);
  });

  test('no secret without allowUnsigned throws', () => {
    const log = new MemoryEventLog();

    assert.throws(
      () => createWebhookHandler({ log }),
      (error: unknown) =>
        error instanceof WebhookConfigError &&
        error.settings.includes('webhook.secret') &&
        error.settings.includes('webhook.allowUnsigned') &&
        error.message.includes('WEBHOOK_SECRET'),
    );
  });

  test('empty secret counts as missing', () => {
    const log = new MemoryEventLog();

    assert.throws(() => createWebhookHandler({ log, secret: '' }), WebhookConfigError);
  });

  test('invalid maxBodyBytes throws', () => {
    const log = new MemoryEventLog();

    assert.throws(() => createWebhookHandler({ log, secret: SECRET, maxBodyBytes: 0 }), /maxBodyBytes/);
  });

  test('logs carry no secret or signature', async (t) => {
    const logs = captureLogs('debug');
    const ingress = await startIngress(t, { logger: logs.logger });
    const signature = signBody(SECRET, PAYLOAD);

    await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD));
    await post(ingress.url, PAYLOAD, jiraHeaders(PAYLOAD, { 'x-hub-signature': signBody('wrong', PAYLOAD) }));

    const logged = logs.text();
    assert.match(logged, /delivery accepted/);
    assert.match(logged, /invalid_signature/);
    assert.doesNotMatch(logged, new RegExp(SECRET));
    assert.doesNotMatch(logged, new RegExp(signature.slice(7)));
    assert.doesNotMatch(logged, /PROJ-1/);
  });

  test('repeated rejections are logged once', async (t) => {
    const logs = captureLogs();
    const ingress = await startIngress(t, { logger: logs.logger });

    for (let attempt = 0; attempt < 5; attempt += 1) await fetch(ingress.url).then((response) => response.text());

    const rejections = logs.text().split('\n').filter((line) => line.includes('method_not_allowed'));
    assert.equal(rejections.length, 1);
  });

  test('whenIdle waits for a pending body', async (t) => {
    const ingress = await startIngress(t);
    const headers = { ...jiraHeaders(PAYLOAD), 'content-length': String(Buffer.byteLength(PAYLOAD)) };
    const received = once(ingress.server, 'request');
    let sending: ClientRequest | undefined;

    const reply = rawRequest(ingress.port, headers, (request) => {
      sending = request;
      request.write(PAYLOAD.slice(0, 10));
    });
    await received;
    let idle = false;
    const whenIdle = ingress.handler.whenIdle().then(() => (idle = true));
    await new Promise((resolve) => setImmediate(resolve));

    assert.equal(idle, false);
    sending?.end(PAYLOAD.slice(10));
    assert.equal((await reply).status, 202);
    await whenIdle;
    assert.equal(idle, true);
  });
});
