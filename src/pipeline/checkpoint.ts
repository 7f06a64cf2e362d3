import type { EventLog } from '../log/event-log.js';

/** Read offsets kept before the array of open offsets is compacted. */
const COMPACT_AFTER = 1024;

/**
 * Tracks which read deliveries have ended and moves the log's checkpoint to
 * the highest offset below which every read delivery has ended, so that
 * out-of-order completion never moves it past unfinished work.
 *
 * Deliveries must be passed to `read` in ascending offset order (the order
 * the log tail reads them). `end` for an offset that was not read, or that
 * already ended, is ignored.
 */
export class CheckpointTracker {
  /** Read offsets in read order; those before `head` are covered by the checkpoint. */
  private open: number[] = [];
  private head = 0;
  /** Offsets read and not ended yet. */
  private readonly unfinishedOffsets = new Set<number>();
  /** Offsets that ended while an earlier offset was still unfinished. */
  private readonly ended = new Set<number>();

  constructor(private readonly log: EventLog) {}

  read(offset: number): void {
    this.open.push(offset);
    this.unfinishedOffsets.add(offset);
  }

  /** Mark a delivery as ended; writes a new checkpoint when the contiguous prefix of ended offsets grew. */
  end(offset: number): void {
    if (!this.unfinishedOffsets.delete(offset)) return;
    this.ended.add(offset);

    let advanced: number | undefined;
    while (this.head < this.open.length && this.ended.has(this.open[this.head] as number)) {
      advanced = this.open[this.head] as number;
      this.ended.delete(advanced);
      this.head += 1;
    }
    if (this.head > COMPACT_AFTER) {
      this.open = this.open.slice(this.head);
      this.head = 0;
    }
    if (advanced !== undefined) this.log.checkpoint(advanced);
  }

  /** Deliveries read and not ended. */
  unfinished(): number {
    return this.unfinishedOffsets.size;
  }
}
