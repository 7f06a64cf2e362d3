/**
 * A store in the event log's file whose writes wait in memory and are
 * committed by the log's next group commit, in the same transaction as the
 * deliveries and the checkpoint. One sync then covers every write of a
 * burst, and a checkpoint is never stored without the writes made before it.
 *
 * The log calls `writePending` inside the open transaction and
 * `committed` after that transaction committed. When the transaction fails,
 * `committed` is not called, so the pending writes stay and go with the
 * next group commit.
 */
export interface PendingWrites {
  /** True when writes wait for the next group commit. */
  hasPending(): boolean;

  /** Execute the waiting writes inside the log's open transaction. */
  writePending(): void;

  /** Forget the writes that the last `writePending` executed, because their transaction committed. */
  committed(): void;
}

/** Opens a group commit soon, for a store whose writes just started to wait. */
export type ScheduleCommit = () => void;
