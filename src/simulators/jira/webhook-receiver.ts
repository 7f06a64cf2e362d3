import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got: lower-cased headers and the raw body bytes. */
export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The body parsed as JSON. Undefined when it was empty. */
  readonly json: unknown;
  /** The status the receiver responded with. */
  readonly status: number;
}

export interface WebhookReceiver {
  /** Base URL of the receiver, such as `http://127.0.0.1:40123/webhook`. */
  readonly url: string;
  readonly received: readonly ReceivedWebhook[];
  /** Responds to the next requests with these statuses, in order, then with 200 again. */
  respondWith(statuses: readonly number[]): void;
  /** Resolves once `count` requests have arrived. Rejects after `timeoutMs` (default 5000). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a small HTTP server on 127.0.0.1 that records every request, for
 * tests that check the webhooks the simulator sends.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const statuses: number[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const status = statuses.shift() ?? 200;
      received.push({ headers: request.headers, body, json: body.length === 0 ? undefined : JSON.parse(body.toString('utf8')), status });
      response.writeHead(status).end();

      for (const waiter of waiters.filter((candidate) => received.length >= candidate.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const waitFor = (count: number, timeoutMs = 5000): Promise<void> => {
    if (received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${count} webhooks; got ${received.length}.`)), timeoutMs);
      waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  };

  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    respondWith: (next) => statuses.push(...next),
    waitFor,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
