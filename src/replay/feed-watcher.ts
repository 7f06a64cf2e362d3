import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { OUTCOMES, type Outcome } from '../core/results.js';
import type { ObservedResult, WatchStatus } from './replay-target.js';

/** Reconnects after the feed closed the connection (slow consumer, restart), each resuming from the last offset. */
const MAX_RECONNECTS = 5;
const RECONNECT_DELAY_MS = 200;

/**
 * A client of the service's result feed (`/feed`, see docs/feed.md) that
 * passes every processed result to `onResult`. When the server closes the
 * connection, for example with 1013 because the client fell behind, it
 * reconnects with `from=<last offset>`, so no result is lost.
 */
export class FeedWatcher {
  #socket: WebSocket | undefined;
  #lastOffset: number | undefined;
  #reconnects = 0;
  #closed = false;

  constructor(
    private readonly url: string,
    private readonly token: string | undefined,
    private readonly onResult: (result: ObservedResult) => void,
  ) {}

  /** Open the first connection. Resolves with the reason when the handshake fails (such as 401 for a wrong token). */
  async start(): Promise<WatchStatus> {
    try {
      this.#socket = await this.#connect();
      return { watching: true };
    } catch (error) {
      return { watching: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const socket = this.#socket;
    if (socket === undefined || socket.readyState === WebSocket.CLOSED) return;

    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.close(1000, 'replay finished');
    await Promise.race([closed, sleep(1000)]);
    socket.terminate();
  }

  #connect(): Promise<WebSocket> {
    const url = new URL(this.url);
    if (this.#lastOffset !== undefined) url.searchParams.set('from', String(this.#lastOffset));
    const socket = new WebSocket(url, this.token === undefined ? {} : { headers: { authorization: `Bearer ${this.token}` } });

    return new Promise<WebSocket>((resolve, reject) => {
      socket.once('open', () => {
        // A socket error after the handshake is followed by 'close', which reconnects.
        socket.on('error', () => undefined);
        socket.on('message', (data) => this.#receive(data.toString()));
        socket.once('close', (code) => void this.#reconnectAfter(code));
        resolve(socket);
      });
      socket.once('unexpected-response', (request, response) => {
        void handshakeRejection(response).then((reason) => reject(new Error(reason)));
        request.destroy();
      });
      socket.once('error', (error) => reject(new Error(`the feed at ${this.url} could not be reached: ${error.message}`)));
    });
  }

  #receive(text: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    // Control messages (such as a gap) have a type; results have none.
    if ('type' in message || typeof message['deliveryId'] !== 'string') return;

    if (typeof message['offset'] === 'number') this.#lastOffset = Math.max(this.#lastOffset ?? 0, message['offset']);
    const outcome = OUTCOMES.includes(message['outcome'] as Outcome) ? (message['outcome'] as Outcome) : 'failed';
    this.onResult({ deliveryId: message['deliveryId'], outcome, observedAt: performance.now() });
  }

  async #reconnectAfter(code: number): Promise<void> {
    if (this.#closed || this.#reconnects >= MAX_RECONNECTS || code === 1000) return;
    this.#reconnects += 1;
    await sleep(RECONNECT_DELAY_MS);
    if (this.#closed) return;

    try {
      this.#socket = await this.#connect();
    } catch {
      await this.#reconnectAfter(code);
    }
  }
}

async function handshakeRejection(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');

  let message = text.slice(0, 200);
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON: keep the start of the text.
  }
  return `the feed rejected the handshake with ${response.statusCode ?? 'no status'}: ${message}`;
}
