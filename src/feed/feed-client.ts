import type { WebSocket } from 'ws';
import type { Logger } from '../core/logger.js';
import type { ProcessedResult } from '../core/results.js';
import type { FeedQuery } from './feed-query.js';
import type { ResultHistory } from './history.js';
import { serializeResult } from './projection.js';
import { matchesFilter } from './result-filter.js';

/** Close code 1001 (going away, RFC 6455 section 7.4.1): the server shuts down. */
export const CLOSE_GOING_AWAY = 1001;
/** Close code 1011 (internal error, RFC 6455 section 7.4.1). */
export const CLOSE_INTERNAL_ERROR = 1011;
/** Close code 1013 (try again later, IANA WebSocket close code registry): the client read too slowly. */
export const CLOSE_TRY_AGAIN_LATER = 1013;

/** Per-client bounds on messages that were queued but not yet written to the socket. */
export interface FeedLimits {
  readonly maxBufferedMessages: number;
  readonly maxBufferedBytes: number;
}

/** Totals since the feed was attached, for metrics. */
export interface FeedCounters {
  clientsAccepted: number;
  handshakesRejected: number;
  /** Messages (results and control messages) written to client sockets. */
  messagesSent: number;
  slowConsumersDropped: number;
  deadClientsTerminated: number;
}

/** A live result serialized once and shared by every client. */
export interface FeedMessage {
  readonly result: ProcessedResult;
  readonly data: string;
  readonly bytes: number;
}

/** Serializes a result into the message that every matching client receives. */
export function toFeedMessage(result: ProcessedResult): FeedMessage {
  const data = serializeResult(result);
  return { result, data, bytes: Buffer.byteLength(data) };
}

/** Settings and shared state that the feed passes to each client it accepts. */
export interface FeedClientContext {
  readonly id: number;
  readonly query: FeedQuery;
  readonly history: ResultHistory;
  readonly limits: FeedLimits;
  readonly counters: FeedCounters;
  readonly logger: Logger;
  /** Called once, when the client's socket has closed. */
  readonly onClose: (client: FeedClient) => void;
}

/** Maximum number of stored results read from the history at a time during a resume. */
const MAX_REPLAY_PAGE_SIZE = 100;

/**
 * One connected feed client and its send queue.
 *
 * Phases: `replaying` while stored results after `from` are sent, `live`
 * afterwards, and `closing` from the moment the feed or the client starts
 * to close the connection. Live results that arrive during the replay wait in
 * `pending` and are sent after it, except those the replay already sent.
 *
 * `offer` returns without waiting: it sends, queues or ignores the result, or
 * drops the client. A client is a
 * slow consumer when a new message arrives while `maxBufferedMessages`
 * messages or `maxBufferedBytes` bytes already wait in `pending` and in the
 * socket's write buffer (`WebSocket.bufferedAmount`). It is then closed with
 * 1013, so one slow client never holds up the pipeline or other clients.
 *
 * NOTE: resuming by offset assumes that `results$` emits results in ascending
 * offset order. A result emitted after a higher offset reached a client that
 * then disconnected is not replayed, because its offset is not above `from`.
 */
export class FeedClient {
  private phase: 'replaying' | 'live' | 'closing' = 'live';
  private readonly pending: FeedMessage[] = [];
  private pendingBytes = 0;
  /** Messages handed to `socket.send` whose write callback has not run yet. */
  private inFlight = 0;
  private lastSentOffset: number | undefined;
  /** Whether a pong arrived since the last ping. */
  private alive = true;

  private replayCursor = 0;
  private replayWaitingForWrites = false;
  private readonly replayedOffsets = new Set<number>();
  private readonly replayPageSize: number;

  constructor(
    private readonly socket: WebSocket,
    private readonly context: FeedClientContext,
  ) {
    this.replayPageSize = Math.max(1, Math.min(MAX_REPLAY_PAGE_SIZE, Math.floor(context.limits.maxBufferedMessages / 2)));
  }

  get id(): number {
    return this.context.id;
  }

  /** Attaches the socket listeners and starts the replay when the client sent `from`. */
  start(): void {
    this.socket.on('pong', () => {
      this.alive = true;
    });
    this.socket.on('error', (error) => {
      this.context.logger.warn({ clientId: this.id, err: error }, 'feed client socket error');
    });
    this.socket.once('close', (code, reason) => this.onSocketClose(code, reason.toString()));

    const from = this.context.query.from;
    if (from === undefined) {
      return;
    }

    this.phase = 'replaying';
    this.replayCursor = this.skipEvictedOffsets(from);
    this.replay();
  }

  /** Sends, queues or ignores one live result, or drops the client as a slow consumer. */
  offer(message: FeedMessage): void {
    if (this.phase === 'closing' || !matchesFilter(this.context.query.filter, message.result)) {
      return;
    }

    if (this.isOverLimit()) {
      this.dropAsSlowConsumer('send queue full');
      return;
    }

    if (this.phase === 'replaying') {
      this.pending.push(message);
      this.pendingBytes += message.bytes;
      return;
    }
    this.send(message.data, message.result.offset);
  }

  /**
   * Terminates the client when no pong arrived since the previous ping, and
   * otherwise pings it again. Clients already closing are left to the close
   * handshake timeout of `ws`.
   */
  checkLiveness(): void {
    if (this.phase === 'closing') {
      return;
    }

    if (!this.alive) {
      this.context.counters.deadClientsTerminated += 1;
      this.context.logger.warn({ clientId: this.id, lastSentOffset: this.lastSentOffset }, 'feed client terminated: no pong since the last ping');
      this.phase = 'closing';
      this.socket.terminate();
      return;
    }

    this.alive = false;
    this.socket.ping();
  }

  /** Starts the close handshake with `code` and resolves once the socket has closed. */
  close(code: number, reason: string): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      if (this.socket.readyState === this.socket.CLOSED) {
        resolve();
        return;
      }
      this.socket.once('close', () => resolve());
    });

    if (this.phase !== 'closing') {
      this.enterClosing();
      this.socket.close(code, reason);
    }
    return closed;
  }

  /** Destroys the socket without a close handshake. */
  terminate(): void {
    this.enterClosing();
    this.socket.terminate();
  }

  private isOverLimit(): boolean {
    const messages = this.pending.length + this.inFlight;
    const bytes = this.pendingBytes + this.socket.bufferedAmount;
    return messages >= this.context.limits.maxBufferedMessages || bytes >= this.context.limits.maxBufferedBytes;
  }

  /**
   * Closes the client with 1013. The close frame goes out after the messages
   * already handed to the socket, so the offset in the reason is the last one
   * the client receives before the close. The reason stays under the 123-byte
   * limit of RFC 6455 because an offset has at most 16 digits.
   */
  private dropAsSlowConsumer(cause: string): void {
    const resumeOffset = this.lastSentOffset ?? this.context.query.from;
    const reason =
      resumeOffset === undefined ? 'slow consumer; no result was sent' : `slow consumer; resume from offset ${resumeOffset}`;

    this.context.counters.slowConsumersDropped += 1;
    this.context.logger.warn(
      {
        clientId: this.id,
        cause,
        resumeOffset,
        bufferedMessages: this.pending.length + this.inFlight,
        bufferedBytes: this.pendingBytes + this.socket.bufferedAmount,
      },
      'feed client dropped as a slow consumer',
    );

    this.enterClosing();
    this.socket.close(CLOSE_TRY_AGAIN_LATER, reason);
  }

  /**
   * Sends stored results after the cursor, a page at a time. The replay pauses
   * once a page's worth of messages (or half the byte limit) waits to be
   * written, and `onWritten` resumes it, so a long resume never fills the
   * send queue by itself. When the history has nothing more, the live results
   * that arrived meanwhile are sent.
   *
   * A client whose replay is overtaken by eviction (the history dropped
   * results it was still to receive) is dropped as a slow consumer. Its
   * next resume then starts with a gap message, so results stay in offset order.
   */
  private replay(): void {
    this.replayWaitingForWrites = false;

    try {
      while (this.phase === 'replaying') {
        if (this.isReplayWindowFull()) {
          this.replayWaitingForWrites = true;
          return;
        }
        if (this.isReplayOvertaken()) {
          this.dropAsSlowConsumer('the result history evicted results before the replay sent them');
          return;
        }

        const page = this.context.history.after(this.replayCursor, this.replayPageSize);
        if (page.length === 0) {
          this.finishReplay();
          return;
        }
        this.sendReplayPage(page);
      }
    } catch (error) {
      this.context.logger.error({ clientId: this.id, err: error, cursor: this.replayCursor }, 'feed replay failed: reading the result history failed');
      void this.close(CLOSE_INTERNAL_ERROR, 'reading the result history failed');
    }
  }

  private sendReplayPage(page: readonly ProcessedResult[]): void {
    for (const result of page) {
      this.replayCursor = result.offset;

      if (matchesFilter(this.context.query.filter, result)) {
        this.replayedOffsets.add(result.offset);
        this.send(serializeResult(result), result.offset);
      }

      if (this.isReplayWindowFull()) {
        return;
      }
    }
  }

  private isReplayWindowFull(): boolean {
    return this.inFlight >= this.replayPageSize || this.socket.bufferedAmount >= this.context.limits.maxBufferedBytes / 2;
  }

  /** Sends the live results held during the replay, skipping offsets the replay already sent. */
  private finishReplay(): void {
    this.phase = 'live';

    const heldResults = this.pending.splice(0);
    this.pendingBytes = 0;
    let skipped = 0;
    for (const message of heldResults) {
      if (this.replayedOffsets.has(message.result.offset)) {
        skipped += 1;
      } else {
        this.send(message.data, message.result.offset);
      }
    }

    this.context.logger.info(
      { clientId: this.id, replayedResults: this.replayedOffsets.size, heldLiveResults: heldResults.length, skippedDuplicates: skipped },
      'feed client replay finished',
    );
    this.replayedOffsets.clear();
  }

  /**
   * Sends a gap message when results after `from` were evicted from the
   * history, and returns the offset the replay continues after. Offsets are
   * integers, so nothing is missing when the oldest stored offset is `from + 1`.
   */
  private skipEvictedOffsets(from: number): number {
    const oldestOffset = this.context.history.oldestOffset();
    if (oldestOffset === undefined || oldestOffset <= from + 1) {
      return from;
    }

    this.context.logger.info({ clientId: this.id, from, oldestOffset }, 'feed resume starts after a gap in the result history');
    this.send(JSON.stringify({ type: 'gap', oldestOffset }), undefined);
    return oldestOffset - 1;
  }

  private isReplayOvertaken(): boolean {
    const oldestOffset = this.context.history.oldestOffset();
    return oldestOffset !== undefined && oldestOffset > this.replayCursor + 1;
  }

  private send(data: string, offset: number | undefined): void {
    this.inFlight += 1;
    this.socket.send(data, (error) => this.onWritten(error));

    if (offset !== undefined) {
      this.lastSentOffset = offset;
    }
  }

  private onWritten(error: Error | undefined): void {
    this.inFlight -= 1;
    if (error === undefined || error === null) {
      this.context.counters.messagesSent += 1;
    }

    if (this.replayWaitingForWrites && this.inFlight <= this.replayPageSize / 2) {
      this.replay();
    }
  }

  private onSocketClose(code: number, reason: string): void {
    this.enterClosing();
    this.context.logger.info({ clientId: this.id, code, reason, lastSentOffset: this.lastSentOffset }, 'feed client disconnected');
    this.context.onClose(this);
  }

  private enterClosing(): void {
    this.phase = 'closing';
    this.pending.length = 0;
    this.pendingBytes = 0;
    this.replayedOffsets.clear();
  }
}
