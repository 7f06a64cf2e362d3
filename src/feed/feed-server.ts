import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Observable, Subscription } from 'rxjs';
import { WebSocketServer, type WebSocket } from 'ws';
import { silentLogger, type Logger } from '../core/logger.js';
import type { ProcessedResult } from '../core/results.js';
import { authorizeHandshake, resolveFeedAccess, type FeedAccess } from './access.js';
import { FeedHandshakeError, FeedOptionInvalidError, FeedUnavailableError } from './errors.js';
import {
  CLOSE_GOING_AWAY,
  CLOSE_INTERNAL_ERROR,
  FeedClient,
  toFeedMessage,
  type FeedCounters,
  type FeedMessage,
  type FeedLimits,
} from './feed-client.js';
import { parseFeedQuery, type FeedQuery } from './feed-query.js';
import { rejectHandshake } from './handshake.js';
import type { ResultHistory } from './history.js';

export const DEFAULT_FEED_PATH = '/feed';
export const DEFAULT_MAX_BUFFERED_MESSAGES = 1000;
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
export const DEFAULT_PING_INTERVAL_MS = 30_000;

/**
 * Maximum size in bytes of a frame a client may send. The feed reads nothing
 * from clients, so a larger frame closes the connection with 1009.
 */
const MAX_CLIENT_FRAME_BYTES = 4096;

/** Time in ms that `close()` waits for clients to finish the close handshake before it terminates them. */
const SHUTDOWN_GRACE_MS = 5000;

export interface FeedOptions {
  /** URL path of the feed. The page served by `createFeedPageHandler` must use the same path. */
  readonly path?: string;
  /** Bearer token that clients must send. Takes precedence over `allowAnonymous`. */
  readonly token?: string;
  /** Serve the feed without a token when none is configured. */
  readonly allowAnonymous?: boolean;
  /** Stored results for resume. The feed records every result it receives here. */
  readonly history: ResultHistory;
  /** Maximum number of messages waiting per client before it is dropped as slow (default 1000). */
  readonly maxBufferedMessages?: number;
  /** Maximum bytes waiting per client before it is dropped as slow (default 4 MiB). */
  readonly maxBufferedBytes?: number;
  /** Interval in ms between liveness pings (default 30000). */
  readonly pingIntervalMs?: number;
  readonly logger?: Logger;
}

export interface FeedHandle {
  /** Returns the number of connected clients, including those in the close handshake. */
  clientCount(): number;
  /** Returns a copy of the feed's counters. */
  counters(): Readonly<FeedCounters>;
  /**
   * Stops accepting clients, closes every client with 1001 "server shutting
   * down" and resolves once all sockets are closed. Clients that do not finish
   * the close handshake within 5 s are terminated.
   */
  close(): Promise<void>;
}

interface FeedSettings {
  readonly path: string;
  readonly access: FeedAccess;
  readonly limits: FeedLimits;
  readonly pingIntervalMs: number;
  readonly history: ResultHistory;
  readonly logger: Logger;
}

/**
 * Serves processed results over WebSocket on `server`'s `upgrade` event.
 *
 * The feed subscribes to `results$` at once, records each result in the
 * history and offers it to every client without waiting on any socket. A
 * handshake is checked before the upgrade, and a rejected one gets its HTTP
 * status: 404 when the feed is disabled, 401 for a missing or wrong token,
 * 400 for an invalid query and 503 once the feed stopped.
 *
 * @throws FeedOptionInvalidError when a limit or the path is invalid.
 */
export function attachFeed(server: Server, results$: Observable<ProcessedResult>, options: FeedOptions): FeedHandle {
  const settings = resolveSettings(options);
  const feed = new ResultFeed(server, settings);
  feed.start(results$);

  if (settings.access.mode === 'token' && options.allowAnonymous === true) {
    settings.logger.warn('feed.allowAnonymous is ignored because feed.token is set; clients must send the token');
  }
  return feed;
}

class ResultFeed implements FeedHandle {
  private readonly feedCounters: FeedCounters = {
    clientsAccepted: 0,
    handshakesRejected: 0,
    messagesSent: 0,
    slowConsumersDropped: 0,
    deadClientsTerminated: 0,
  };
  private readonly clients = new Set<FeedClient>();
  private readonly webSockets = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });
  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void =>
    this.handleUpgrade(request, socket, head);
  private subscription: Subscription | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  /** Set once the feed stops accepting clients; new handshakes are rejected with it. */
  private unavailable: FeedUnavailableError | undefined;
  private closing: Promise<void> | undefined;
  private nextClientId = 1;

  constructor(
    private readonly server: Server,
    private readonly settings: FeedSettings,
  ) {}

  start(results$: Observable<ProcessedResult>): void {
    this.subscription = results$.subscribe({
      next: (result) => this.dispatch(result),
      error: (error: unknown) => this.stopOnResultsEnd(error),
      complete: () => this.stopOnResultsEnd(undefined),
    });

    this.server.on('upgrade', this.onUpgrade);
    this.pingTimer = setInterval(() => this.checkLiveness(), this.settings.pingIntervalMs);
    this.pingTimer.unref();

    this.settings.logger.info({ path: this.settings.path, access: this.settings.access.mode }, 'feed attached');
  }

  clientCount(): number {
    return this.clients.size;
  }

  counters(): Readonly<FeedCounters> {
    return { ...this.feedCounters };
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.unavailable = new FeedUnavailableError('closed');
    this.server.off('upgrade', this.onUpgrade);
    clearInterval(this.pingTimer);
    this.subscription?.unsubscribe();

    await closeAll([...this.clients], CLOSE_GOING_AWAY, 'server shutting down');
    this.webSockets.close();
    this.settings.logger.info({ counters: this.feedCounters }, 'feed closed');
  }

  /** Records a result and offers it to every client without waiting on any socket. */
  private dispatch(result: ProcessedResult): void {
    try {
      this.settings.history.record(result);
    } catch (error) {
      this.settings.logger.error(
        { err: error, offset: result.offset, deliveryId: result.deliveryId },
        'feed could not record a result in the history',
      );
    }

    if (this.clients.size === 0) {
      return;
    }
    const message = toFeedMessage(result);
    for (const client of this.clients) {
      this.offerTo(client, message);
    }
  }

  /**
   * Offers a message to one client. An exception thrown here would reach the
   * results subscription and end it for every client, so a client that throws
   * is logged and terminated instead.
   */
  private offerTo(client: FeedClient, message: FeedMessage): void {
    try {
      client.offer(message);
    } catch (error) {
      this.settings.logger.error(
        { clientId: client.id, offset: message.result.offset, err: error },
        'feed client failed to take a result; terminating it',
      );
      client.terminate();
    }
  }

  /** Closes every client once `results$` has failed (1011) or completed (1001), and rejects new ones with 503. */
  private stopOnResultsEnd(error: unknown): void {
    this.unavailable = new FeedUnavailableError('results-ended');

    if (error !== undefined) {
      this.settings.logger.error({ err: error }, 'feed results stream failed; closing feed clients');
      void closeAll([...this.clients], CLOSE_INTERNAL_ERROR, 'results stream failed');
      return;
    }
    this.settings.logger.info('feed results stream completed; closing feed clients');
    void closeAll([...this.clients], CLOSE_GOING_AWAY, 'results stream ended');
  }

  private handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://feed.invalid');
    if (url.pathname !== this.settings.path) {
      rejectForeignPath(this.server, socket);
      return;
    }

    try {
      if (this.unavailable !== undefined) {
        throw this.unavailable;
      }
      authorizeHandshake(this.settings.access, request, url);
      const query = parseFeedQuery(url.searchParams);
      this.webSockets.handleUpgrade(request, socket, head, (webSocket) => this.accept(webSocket, request, query));
    } catch (error) {
      this.feedCounters.handshakesRejected += 1;
      rejectWithError(socket, request, error, this.settings.logger);
    }
  }

  private accept(socket: WebSocket, request: IncomingMessage, query: FeedQuery): void {
    const id = this.nextClientId;
    this.nextClientId += 1;
    this.feedCounters.clientsAccepted += 1;

    const client = new FeedClient(socket, {
      id,
      query,
      history: this.settings.history,
      limits: this.settings.limits,
      counters: this.feedCounters,
      logger: this.settings.logger,
      onClose: (closed) => this.clients.delete(closed),
    });
    this.clients.add(client);

    this.settings.logger.info(
      { clientId: id, remoteAddress: request.socket.remoteAddress, from: query.from, filter: describeFilter(query) },
      'feed client connected',
    );
    client.start();
  }

  private checkLiveness(): void {
    for (const client of this.clients) {
      client.checkLiveness();
    }
  }
}

function resolveSettings(options: FeedOptions): FeedSettings {
  const path = options.path ?? DEFAULT_FEED_PATH;
  if (!path.startsWith('/')) {
    throw new FeedOptionInvalidError('path', path, 'a URL path starting with "/"');
  }

  return {
    path,
    access: resolveFeedAccess(options.token, options.allowAnonymous),
    limits: {
      maxBufferedMessages: positiveInteger('maxBufferedMessages', options.maxBufferedMessages, DEFAULT_MAX_BUFFERED_MESSAGES),
      maxBufferedBytes: positiveInteger('maxBufferedBytes', options.maxBufferedBytes, DEFAULT_MAX_BUFFERED_BYTES),
    },
    pingIntervalMs: positiveInteger('pingIntervalMs', options.pingIntervalMs, DEFAULT_PING_INTERVAL_MS),
    history: options.history,
    logger: options.logger ?? silentLogger(),
  };
}

function positiveInteger(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new FeedOptionInvalidError(option, value, 'a positive integer');
  }
  return value;
}

/**
 * Leaves an upgrade for another path to the server's other `upgrade`
 * listeners. When the feed is the only listener, no other listener would
 * respond, so the feed responds with 404.
 */
function rejectForeignPath(server: Server, socket: Duplex): void {
  if (server.listenerCount('upgrade') > 1) {
    return;
  }
  rejectHandshake(socket, 404, { error: 'not_found', message: 'No WebSocket endpoint at this path.' });
}

function rejectWithError(socket: Duplex, request: IncomingMessage, error: unknown, logger: Logger): void {
  const remoteAddress = request.socket.remoteAddress;

  if (error instanceof FeedHandshakeError) {
    logger.info({ remoteAddress, status: error.status, error: error.code, reason: error.message }, 'feed handshake rejected');
    const headers: Record<string, string> = error.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="feed"' } : {};
    rejectHandshake(socket, error.status, error.body(), headers);
    return;
  }

  logger.error({ remoteAddress, err: error }, 'feed handshake failed');
  rejectHandshake(socket, 500, { error: 'internal_error', message: 'The feed failed to accept the connection.' });
}

async function closeAll(clients: readonly FeedClient[], code: number, reason: string): Promise<void> {
  const closed = Promise.all(clients.map((client) => client.close(code, reason)));
  let graceTimer: NodeJS.Timeout | undefined;
  const grace = new Promise<'timeout'>((resolve) => {
    graceTimer = setTimeout(() => resolve('timeout'), SHUTDOWN_GRACE_MS);
  });

  const outcome = await Promise.race([closed, grace]);
  clearTimeout(graceTimer);
  if (outcome === 'timeout') {
    clients.forEach((client) => client.terminate());
    await closed;
  }
}

function describeFilter(query: FeedQuery): Record<string, string[]> {
  const description: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(query.filter)) {
    if (values instanceof Set) {
      description[name] = [...(values as Set<string>)];
    }
  }
  return description;
}
