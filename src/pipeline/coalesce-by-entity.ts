import { Observable, type OperatorFunction } from 'rxjs';
import { endedGroup, workKey, type WorkGroup, type WorkItem } from './work.js';

/** One entity's place in the coalescer. */
interface EntityTurn {
  /** A group for this entity was emitted and has not been released yet. */
  running: boolean;
  /** Items that arrived since the last group started. */
  waiting: WorkItem[];
  /** Pending end of the coalescing window, when one is open. */
  timer: NodeJS.Timeout | undefined;
}

/**
 * Coalesce work per entity (processor, resource config, Jira id) and keep at
 * most one group per entity between this stage and its `release()`.
 *
 * - Items for an idle entity wait `windowMs`; everything that arrives for
 *   the entity meanwhile joins the same group (one fetch, one write).
 * - Items arriving while the entity's group runs wait for its release and
 *   then start exactly one more group, at once.
 * - A group takes at most `maxItems` items, oldest first; the rest start the
 *   next group after its release. `maxItems: 1` turns coalescing off (one
 *   fetch per delivery) but keeps one group per entity in flight.
 * - In a group, a deletion from the payload wins over fetches; otherwise
 *   one processor runs (see `leadItem`) with its items' payloads merged by
 *   its `merge` (later wins by default).
 *
 * Items that already ended pass through as groups of one. Completes when
 * the source has completed and every emitted group was released; windows
 * still open at source completion are flushed at once. Source errors pass
 * through.
 */
export function coalesceByEntity(windowMs: number, maxItems = Number.POSITIVE_INFINITY): OperatorFunction<WorkItem, WorkGroup> {
  if (!(maxItems >= 1)) throw new RangeError(`coalesceByEntity maxItems must be at least 1, got ${maxItems}`);

  return (source) =>
    new Observable<WorkGroup>((subscriber) => {
      const turns = new Map<string, EntityTurn>();
      let sourceDone = false;

      const completeWhenIdle = (): void => {
        if (sourceDone && turns.size === 0) subscriber.complete();
      };

      const start = (key: string, turn: EntityTurn): void => {
        turn.timer = undefined;
        turn.running = true;
        const items = turn.waiting.splice(0, maxItems);
        subscriber.next(groupOf(key, items, () => release(key)));
      };

      // Ends the entity's turn; waiting items start the next group at once.
      const release = (key: string): void => {
        const turn = turns.get(key);
        if (!turn || !turn.running) return;
        turn.running = false;
        if (turn.waiting.length > 0) {
          start(key, turn);
          return;
        }
        turns.delete(key);
        completeWhenIdle();
      };

      const subscription = source.subscribe({
        next(item) {
          if (item.end || !item.processor) {
            subscriber.next(endedGroup(item));
            return;
          }
          const key = workKey(item);
          const turn = turns.get(key) ?? { running: false, waiting: [], timer: undefined };
          turns.set(key, turn);
          turn.waiting.push(item);
          if (turn.running || turn.timer) return;
          if (windowMs <= 0) start(key, turn);
          else turn.timer = setTimeout(() => start(key, turn), windowMs);
        },
        error(error) {
          subscriber.error(error);
        },
        complete() {
          sourceDone = true;
          for (const [key, turn] of turns) {
            if (turn.timer) {
              clearTimeout(turn.timer);
              start(key, turn);
            }
          }
          completeWhenIdle();
        },
      });

      return () => {
        subscription.unsubscribe();
        for (const turn of turns.values()) if (turn.timer) clearTimeout(turn.timer);
      };
    });
}

function groupOf(key: string, items: WorkItem[], release: () => void): WorkGroup {
  const lead = leadItem(items);
  const processor = lead.processor;
  const ownItems = items.filter((item) => item.processor === processor);
  const payload = processor?.isDeletion(lead.payload)
    ? lead.payload
    : ownItems.map((item) => item.payload).reduce((earlier, later) => (processor?.merge ? processor.merge(earlier, later) : later));

  let released = false;
  return {
    key,
    items,
    deletion: processor?.isDeletion(lead.payload) === true,
    payload,
    ...(processor ? { processor } : {}),
    ...(lead.resource ? { resource: lead.resource } : {}),
    ...(lead.entityId !== undefined ? { entityId: lead.entityId } : {}),
    release: () => {
      if (released) return;
      released = true;
      release();
    },
  };
}

/**
 * The item whose processor runs the group: the last deletion if there is
 * one; otherwise the last item of the processor named like the kind (the
 * issue processor for issues, which handles moves); otherwise the last
 * item. Every processor of a kind re-fetches the same current state, so one
 * run covers the others.
 */
function leadItem(items: readonly WorkItem[]): WorkItem {
  const last = <T>(list: readonly T[]): T | undefined => list[list.length - 1];
  return (
    last(items.filter((item) => item.processor?.isDeletion(item.payload) === true)) ??
    last(items.filter((item) => item.processor?.name === item.resource?.kind)) ??
    (last(items) as WorkItem)
  );
}
