import ky from 'ky';
import { FeedWatcher } from './feed-watcher.js';
import type { Acknowledgement, ObservedResult, ReplayTarget, WatchStatus } from './replay-target.js';

/** Time allowed for one webhook request. The ingress responds once the delivery is stored. */
const SEND_TIMEOUT_MS = 30_000;

/** Headers that describe the original connection, not the delivery, so a replay never copies them. */
const CONNECTION_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive']);

/** The service's webhook path (kept from Ocean). */
const WEBHOOK_PATH = '/integration/webhook';

/**
 * Replays over HTTP to a running service: each delivery is one POST to
 * its webhook URL, and results come from its WebSocket feed. Requests go to
 * that URL only and are never retried, so the report shows every status
 * the service sent.
 */
export class HttpTarget implements ReplayTarget {
  readonly description: string;
  readonly #webhookUrl: string;
  readonly #feedUrl: string;
  #feed: FeedWatcher | undefined;

  /**
   * @param serviceUrl the service's base URL (`http://127.0.0.1:8000`), or
   *   its full webhook URL when the service sits behind another path.
   * @param feedToken the feed token (`FEED_TOKEN`), when the feed needs one.
   */
  constructor(
    serviceUrl: string,
    private readonly feedToken: string | undefined,
  ) {
    const url = new URL(serviceUrl);
    this.#webhookUrl = url.pathname === '/' || url.pathname === '' ? new URL(WEBHOOK_PATH, url).href : url.href;
    this.#feedUrl = new URL('/feed', `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`).href;
    this.description = this.#webhookUrl;
  }

  async send(headers: Readonly<Record<string, string>>, body: Buffer): Promise<Acknowledgement> {
    try {
      const response = await ky.post(this.#webhookUrl, {
        // A copy with its own ArrayBuffer, which is what fetch accepts as a body type.
        body: new Uint8Array(body),
        headers: requestHeaders(headers),
        retry: 0,
        timeout: SEND_TIMEOUT_MS,
        throwHttpErrors: false,
        redirect: 'manual',
      });
      return acknowledgementOf(response.status, await response.text());
    } catch (error) {
      return { status: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  watchResults(onResult: (result: ObservedResult) => void): Promise<WatchStatus> {
    this.#feed = new FeedWatcher(this.#feedUrl, this.feedToken, onResult);
    return this.#feed.start();
  }

  async close(): Promise<void> {
    await this.#feed?.close();
  }
}

function requestHeaders(recorded: Readonly<Record<string, string>>): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8' };
  for (const [name, value] of Object.entries(recorded)) {
    if (!CONNECTION_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** Read the ingress's response: `{ deliveryId, offset, duplicate }` for 2xx, `{ error, message }` otherwise. */
function acknowledgementOf(status: number, text: string): Acknowledgement {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // A proxy or another server may respond without JSON, and the status is what counts.
  }

  if (status >= 200 && status < 300) {
    return {
      status,
      ...(typeof body['deliveryId'] === 'string' ? { deliveryId: body['deliveryId'] } : {}),
      duplicate: body['duplicate'] === true,
    };
  }
  const code = typeof body['error'] === 'string' ? body['error'] : `HTTP ${status}`;
  const message = typeof body['message'] === 'string' ? body['message'] : text.slice(0, 200);
  return { status, error: `${code}: ${message}` };
}
