import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Writable } from 'node:stream';
import { Subject } from 'rxjs';
import { WebSocket, type ClientOptions } from 'ws';
import { createLogger, type Logger } from '../../src/core/logger.js';
import type { ProcessedResult } from '../../src/core/results.js';
import { attachFeed, type FeedHandle, type FeedOptions } from '../../src/feed/feed-server.js';
import { MemoryResultHistory } from '../../src/feed/history.js';
import { feedPageHandler } from '../../src/feed/page.js';

/** A feed on a real HTTP server on 127.0.0.1, driven by a Subject. The server also serves the live page at `/`. */
export interface FeedFixture {
  readonly server: Server;
  readonly results: Subject<ProcessedResult>;
  readonly history: MemoryResultHistory;
  readonly feed: FeedHandle;
  readonly baseUrl: string;
  /** Returns the ws:// URL of the feed with the given query parameters. */
  feedUrl(query?: Readonly<Record<string, string>>): string;
  /** Closes the feed, then the HTTP server, and destroys any connection still open. */
  close(): Promise<void>;
}

export type FeedFixtureOptions = Partial<FeedOptions> & { readonly historyCapacity?: number };

export const TEST_TOKEN = 'feed-test-token-7f3a';

/** Starts a fixture on an ephemeral port. Without options the feed requires `TEST_TOKEN`. */
export async function startFeedServer(options: FeedFixtureOptions = { token: TEST_TOKEN }): Promise<FeedFixture> {
  const server = createServer((request, response) => {
    if (new URL(request.url ?? '/', 'http://fixture.invalid').pathname === '/') {
      feedPageHandler(request, response);
      return;
    }
    response.writeHead(404, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ error: 'not_found' }));
  });
  // Upgraded sockets are not closed by closeAllConnections, so the fixture
  // tracks every connection and destroys what a test left open.
  const connections = new Set<Socket>();
  server.on('connection', (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const results = new Subject<ProcessedResult>();
  const history = options.history instanceof MemoryResultHistory ? options.history : new MemoryResultHistory(options.historyCapacity);
  const feed = attachFeed(server, results, { ...options, history });
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    server,
    results,
    history,
    feed,
    baseUrl,
    feedUrl: (query = {}) => {
      const url = new URL('/feed', baseUrl.replace('http:', 'ws:'));
      for (const [name, value] of Object.entries(query)) {
        url.searchParams.set(name, value);
      }
      return url.toString();
    },
    close: async () => {
      await feed.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      connections.forEach((socket) => socket.destroy());
      await closed;
    },
  };
}

/** Builds a processed result for `offset`: an upserted issue unless `fields` override it. */
export function makeResult(offset: number, fields: Partial<ProcessedResult> = {}): ProcessedResult {
  const receivedAt = Date.UTC(2025, 0, 15, 9, 30, 0) + offset * 250;
  return {
    offset,
    deliveryId: `delivery-${offset}`,
    webhookEvent: 'jira:issue_updated',
    processors: ['issue'],
    kinds: ['issue'],
    outcome: 'upserted',
    upserted: [{ blueprint: 'jiraIssue', identifier: `1${String(offset).padStart(4, '0')}` }],
    deleted: [],
    work: [
      {
        processor: 'issue',
        kind: 'issue',
        resourceIndex: 0,
        entityId: `1${String(offset).padStart(4, '0')}`,
        outcome: 'upserted',
        upserted: [{ blueprint: 'jiraIssue', identifier: `1${String(offset).padStart(4, '0')}` }],
        deleted: [],
      },
    ],
    timings: { receivedAt, startedAt: receivedAt + 2, fetchedAt: receivedAt + 40, writtenAt: receivedAt + 90, finishedAt: receivedAt + 91 },
    ...fields,
  };
}

/** Pushes results with offsets `first..last` into the Subject. */
export function pushRange(fixture: FeedFixture, first: number, last: number, fields: Partial<ProcessedResult> = {}): void {
  for (let offset = first; offset <= last; offset += 1) {
    fixture.results.next(makeResult(offset, fields));
  }
}

/** Returns the integers `first..last`. */
export function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

export interface CloseEvent {
  readonly code: number;
  readonly reason: string;
}

/** A real `ws` client that records every message it receives. */
export class FeedTestClient {
  readonly messages: Record<string, unknown>[] = [];
  readonly closed: Promise<CloseEvent>;
  private readonly listeners = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as Record<string, unknown>);
      this.listeners.forEach((listener) => listener());
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.listeners.forEach((listener) => listener());
      });
    });
  }

  /** Connects and resolves once the handshake succeeded. */
  static async connect(url: string, options: ClientOptions = {}): Promise<FeedTestClient> {
    const socket = new WebSocket(url, options);
    const client = new FeedTestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** Offsets of the result messages received, in order of arrival. */
  offsets(): number[] {
    return this.messages.filter((message) => typeof message['offset'] === 'number').map((message) => message['offset'] as number);
  }

  /** Resolves once a result with `offset` has arrived; rejects if the socket closes first. */
  waitForOffset(offset: number): Promise<void> {
    return this.waitUntil(() => this.offsets().includes(offset), `offset ${offset}`);
  }

  /** Resolves once `count` messages have arrived; rejects if the socket closes first. */
  waitForMessages(count: number): Promise<void> {
    return this.waitUntil(() => this.messages.length >= count, `${count} messages`);
  }

  close(): void {
    this.socket.close();
  }

  private waitUntil(condition: () => boolean, description: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (condition()) {
          this.listeners.delete(check);
          resolve();
        } else if (this.socket.readyState === WebSocket.CLOSED) {
          this.listeners.delete(check);
          reject(new Error(`Socket closed before ${description} arrived; received ${this.messages.length} messages.`));
        }
      };
      this.listeners.add(check);
      check();
    });
  }
}

/** The response to a handshake that the feed rejected. */
export interface RejectedHandshake {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
}

/**
 * Attempts a handshake that is expected to fail, and returns the HTTP
 * response from the client's `unexpected-response` event. Rejects when the
 * handshake succeeds.
 */
export function expectRejectedHandshake(url: string, options: ClientOptions = {}): Promise<RejectedHandshake> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.once('open', () => {
      socket.terminate();
      reject(new Error(`Handshake to ${url} succeeded, expected a rejection.`));
    });
    socket.on('error', (error) => reject(error));
    socket.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(text) as Record<string, unknown> });
        socket.terminate();
      });
    });
  });
}

/** Creates a JSON-lines logger that keeps every line it writes, for asserting on log output. */
export function captureLogs(): { readonly logger: Logger; lines(message: string): Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      callback();
    },
  });
  return {
    logger: createLogger({ level: 'debug', destination }),
    lines: (message) => lines.filter((line) => line['msg'] === message),
  };
}
