import type { Logger } from '../core/logger.js';
import type { AcceptedDelivery } from '../ingress/webhook-handler.js';
import type { EventLog } from '../log/event-log.js';
import { RecordingWriter } from './recording-writer.js';

/** `serve --record FILE [--record-signatures]`. */
export interface RecordSettings {
  /** NDJSON file to append to; created when missing. */
  readonly path: string;
  /** Keep `x-hub-signature` in the recording instead of `[redacted]`. */
  readonly signatures: boolean;
}

/**
 * Records what the service's ingress accepts, for `serve --record`. The
 * ingress calls `onAccepted` after each 200 or 202, and the recorder reads the
 * stored delivery back from the event log, so a recording contains exactly
 * what the log stores: the kept headers and the raw body.
 *
 * A duplicate (a Jira retry) is recorded again, with the headers of its
 * first copy and its own arrival time, so that a replay repeats the retry.
 */
export class ServiceRecorder {
  readonly #writer: RecordingWriter;

  constructor(
    settings: RecordSettings,
    private readonly log: EventLog,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.#writer = new RecordingWriter(settings.path, { signatures: settings.signatures, logger });
    logger.info({ path: settings.path, signatures: settings.signatures }, 'recording accepted deliveries');
  }

  /** The ingress's `onAccepted` callback. Never throws. */
  readonly onAccepted = (accepted: AcceptedDelivery): void => {
    try {
      const [stored] = this.log.readAfter(accepted.offset - 1, 1);
      if (stored === undefined || stored.offset !== accepted.offset) {
        this.logger.warn({ deliveryId: accepted.deliveryId, offset: accepted.offset }, 'accepted delivery not found in the event log; not recorded');
        return;
      }
      const receivedAt = accepted.duplicate ? this.now() : stored.receivedAt;
      this.#writer.write({ receivedAt, headers: stored.headers, body: stored.body });
    } catch (error) {
      this.logger.error({ err: error, deliveryId: accepted.deliveryId }, 'recording an accepted delivery failed');
    }
  };

  /** Flush and close the recording file. */
  close(): Promise<void> {
    return this.#writer.close();
  }
}
