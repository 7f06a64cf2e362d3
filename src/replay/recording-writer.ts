import { createWriteStream, type WriteStream } from 'node:fs';
import { silentLogger, type Logger } from '../core/logger.js';
import { recordingLine, type RecordedDelivery } from './recording.js';

/** Bytes that may wait for the disk before new lines are dropped instead of buffered. */
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export interface RecordingWriterOptions {
  /** Keep `x-hub-signature` (and other secret headers) instead of writing `[redacted]`. Default false. */
  readonly signatures?: boolean;
  /** Maximum bytes waiting for the disk; lines beyond it are dropped and counted. Default 64 MiB. */
  readonly maxBufferedBytes?: number;
  readonly logger?: Logger;
}

/** Lines written and dropped since the writer was opened. */
export interface RecordingStats {
  readonly written: number;
  /** Lines dropped because the disk fell behind or a write failed. */
  readonly dropped: number;
}

/**
 * Appends recorded deliveries to an NDJSON file, one line each, in the
 * order `write` is called. It never throws at the caller: a write error is
 * logged once and later lines are dropped, so a full disk cannot stop the
 * service that records. `close` flushes what is buffered.
 */
export class RecordingWriter {
  readonly #stream: WriteStream;
  readonly #signatures: boolean;
  readonly #maxBufferedBytes: number;
  readonly #logger: Logger;
  #failed = false;
  #written = 0;
  #dropped = 0;
  #closed: Promise<void> | undefined;

  /** Open `path` for appending; the file is created when missing. */
  constructor(
    readonly path: string,
    options: RecordingWriterOptions = {},
  ) {
    this.#signatures = options.signatures ?? false;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.#logger = options.logger ?? silentLogger();
    this.#stream = createWriteStream(path, { flags: 'a' });
    this.#stream.on('error', (error) => {
      if (!this.#failed) this.#logger.error({ err: error, path }, 'writing the recording failed; later deliveries are not recorded');
      this.#failed = true;
    });
  }

  /** Queue one delivery. Returns false when it was dropped (writer failed, closed, or too far behind). */
  write(delivery: RecordedDelivery): boolean {
    if (this.#failed || this.#closed !== undefined || this.#stream.writableLength > this.#maxBufferedBytes) {
      this.#dropped += 1;
      return false;
    }

    this.#stream.write(recordingLine(delivery, { signatures: this.#signatures }));
    this.#written += 1;
    return true;
  }

  stats(): RecordingStats {
    return { written: this.#written, dropped: this.#dropped };
  }

  /** Flush buffered lines and close the file. Later writes are dropped. Safe to call twice. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      this.#stream.end(() => resolve());
      // After an error the stream may never finish, so do not wait for it.
      if (this.#failed) resolve();
    }).then(() => {
      if (this.#dropped > 0) this.#logger.warn({ path: this.path, ...this.stats() }, 'some deliveries were not recorded');
    });
    return this.#closed;
  }
}
