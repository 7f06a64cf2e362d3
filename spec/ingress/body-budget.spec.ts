import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createWebhookHandler } from '../../src/ingress/webhook-handler.js';
import { MemoryEventLog } from '../../src/log/memory-event-log.js';

const KIB = 1024;

describe('ingress body budget', () => {
  it('answers 503 while other bodies use the budget', async (t) => {
    const handler = createWebhookHandler({ log: new MemoryEventLog(), allowUnsigned: true, maxPendingBodyBytes: 1024 * KIB });
    const server = createServer((req, res) => handler.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;

    const body = `{"webhookEvent":"jira:issue_updated","pad":"${'x'.repeat(800 * KIB)}"}`;
    const open = (): { send: (text: string) => void; end: () => void; response: Promise<IncomingMessage> } => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/integration/webhook', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
      const response = new Promise<IncomingMessage>((resolve, reject) => req.on('response', resolve).on('error', reject));
      return { send: (text) => req.write(text), end: () => req.end(), response };
    };

    const first = open();
    first.send(body.slice(0, body.length - 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = open();
    second.send(body);
    second.end();
    const busy = await second.response;
    first.send(body.slice(body.length - 10));
    first.end();
    const accepted = await first.response;

    assert.equal(busy.statusCode, 503);
    assert.equal(busy.headers['retry-after'], '5');
    assert.equal(accepted.statusCode, 202);
  });
});
