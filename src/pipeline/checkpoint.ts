import type { EventLog } from '../log/event-log.js';

/**
 * Tracks which read deliveries have ended and moves the log's checkpoint to
 * the highest offset below which every read delivery has ended, so that
 * out-of-order completion never moves it past unfinished work.
 */
export class CheckpointTracker {
  /** Offsets read and not yet covered by the checkpoint, in read (= offset) order. */
  private readonly open: number[] = [];
  private readonly ended = new Set<number>();
  private head = 0;

  constructor(private readonly log: EventLog) {}

  read(offset: number): void {
    this.open.push(offset);
  }

  /** Mark a delivery as ended; writes a new checkpoint when the contiguous prefix grew. */
  end(offset: number): void {
    this.ended.add(offset);
    let advanced: number | undefined;
    while (this.head < this.open.length && this.ended.has(this.open[this.head] as number)) {
      advanced = this.open[this.head] as number;
      this.ended.delete(advanced);
      this.head++;
    }
    if (this.head > 1024) {
      this.open.splice(0, this.head);
      this.head = 0;
    }
    if (advanced !== undefined) this.log.checkpoint(advanced);
  }

  /** Deliveries read and not ended. */
  unfinished(): number {
    return this.open.length - this.head - this.ended.size;
  }
}
