/**
 * Group commit: writes that arrive within `windowMs` of the first pending one
 * share one synchronous `commit` call (one SQLite transaction, so one WAL sync
 * instead of one per write).
 *
 * State: `#pending` contains the writes of the open group in arrival order.
 * `#timer` is armed while a group is open, and the group closes when it fires,
 * when `maxItems` writes are pending, or on `flush()`.
 */
export class GroupCommit<Item, Result> {
  #pending: Array<PendingWrite<Item, Result>> = [];
  #timer: NodeJS.Timeout | undefined;

  /**
   * @param commit writes every item in one transaction and returns one result
   *   per item, in order. When it throws, every write of the group is
   *   rejected with the error that `toError` builds.
   * @param windowMs how long the first write of a group waits for others.
   * @param maxItems group size that closes the group at once.
   */
  constructor(
    private readonly commit: (items: readonly Item[]) => Result[],
    private readonly toError: (items: readonly Item[], cause: unknown) => Error,
    private readonly windowMs: number,
    private readonly maxItems: number,
  ) {}

  /** Add a write to the open group. Resolves once its group has committed. */
  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#pending.length >= this.maxItems) this.flush();
      else this.schedule();
    });
  }

  /** Open a group without a write, for state that the commit writes on its own (the checkpoint). */
  schedule(): void {
    this.#timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /** Commit the open group now. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;

    const group = this.#pending;
    this.#pending = [];
    const items = group.map((write) => write.item);

    let results: Result[];
    try {
      results = this.commit(items);
    } catch (cause) {
      const error = this.toError(items, cause);
      for (const write of group) write.reject(error);
      return;
    }
    group.forEach((write, index) => write.resolve(results[index] as Result));
  }
}

interface PendingWrite<Item, Result> {
  readonly item: Item;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: Error) => void;
}
