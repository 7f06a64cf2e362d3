import { lastValueFrom, toArray } from 'rxjs';
import type { Logger } from '../core/logger.js';
import type { DeadLetter } from '../log/dead-letters.js';
import { redriveDeadLetters, type RedriveContext } from './redrive.js';

export interface AutoRedriveOptions {
  readonly logger: Logger;
  /** How often waiting dead letters are looked at. Default one minute. */
  readonly intervalMs?: number;
  /** Attempts after which a dead letter waits for an operator. Default 8. */
  readonly maxAttempts?: number;
  /** Maximum wait between two attempts of one dead letter. Default one hour. */
  readonly maxBackoffMs?: number;
  readonly now?: () => number;
}

export interface AutoRedrive {
  /** Look at the waiting dead letters now; resolves when their redrives ended. */
  runOnce(): Promise<void>;
  stop(): void;
}

/** Dead letters due for another attempt: below `maxAttempts`, and the backoff since the last failure has passed. */
export function dueDeadLetters(waiting: readonly DeadLetter[], now: number, intervalMs: number, maxAttempts: number, maxBackoffMs: number): DeadLetter[] {
  return waiting.filter((deadLetter) => {
    if (deadLetter.attempts >= maxAttempts) return false;
    const backoff = Math.min(intervalMs * 2 ** Math.max(0, deadLetter.attempts - 1), maxBackoffMs);
    return now - deadLetter.lastFailedAt >= backoff;
  });
}

/**
 * Re-drive dead letters on a timer with exponential backoff per dead
 * letter: one interval after the first failure, then twice as long after
 * each attempt. Work that failed during a Jira or Port outage thus reaches
 * Port once the outage is over, without an operator. After `maxAttempts` a
 * dead letter stays for `jira-port-stream dead-letters redrive`. Runs never
 * overlap; the timer does not keep the process alive.
 */
export function startAutoRedrive(context: RedriveContext, options: AutoRedriveOptions): AutoRedrive {
  const intervalMs = options.intervalMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const maxBackoffMs = options.maxBackoffMs ?? 3_600_000;
  const now = options.now ?? Date.now;
  let running: Promise<void> | undefined;

  const run = async (): Promise<void> => {
    const due = dueDeadLetters(context.deadLetters.list({ limit: 500 }), now(), intervalMs, maxAttempts, maxBackoffMs);
    if (due.length === 0) return;

    const outcomes = await lastValueFrom(redriveDeadLetters(context, due.map((deadLetter) => deadLetter.id)).pipe(toArray()));
    let redriven = 0;
    for (const outcome of outcomes) {
      if ('error' in outcome) options.logger.error({ err: outcome.error, deadLetterId: outcome.id }, 'automatic redrive failed');
      else if (outcome.report.redriven) redriven++;
    }
    options.logger.info({ due: due.length, redriven, stillFailing: due.length - redriven }, 'dead letters re-driven automatically');
  };

  const runOnce = (): Promise<void> => {
    running ??= run()
      .catch((error: unknown) => options.logger.error({ err: error }, 'automatic redrive failed; trying again at the next interval'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
