import { ReplayOptionError } from './errors.js';

/**
 * When a replay sends each delivery:
 * - `asap`: as soon as a concurrency slot is free;
 * - `rate`: at a fixed rate, `perSecond` deliveries per second;
 * - `original`: at the recorded gaps between receive times, divided by
 *   `speed` (2 replays twice as fast as recorded).
 */
export type Pacing =
  | { readonly mode: 'asap' }
  | { readonly mode: 'rate'; readonly perSecond: number }
  | { readonly mode: 'original'; readonly speed: number };

/** Build a `Pacing` from the `--rate` and `--speed` options; neither means `asap`. Throws `ReplayOptionError`. */
export function pacingOf(rate: number | undefined, speed: number | undefined): Pacing {
  if (rate !== undefined && speed !== undefined) {
    throw new ReplayOptionError('--rate', '--rate and --speed exclude each other: pass --rate N for a fixed rate, or --speed F for the recorded pacing.');
  }
  if (rate !== undefined) {
    if (!(rate > 0 && Number.isFinite(rate))) throw new ReplayOptionError('--rate', `Invalid --rate ${rate}: expected deliveries per second above 0.`);
    return { mode: 'rate', perSecond: rate };
  }
  if (speed !== undefined) {
    if (!(speed > 0 && Number.isFinite(speed))) throw new ReplayOptionError('--speed', `Invalid --speed ${speed}: expected a factor above 0 (1 is the recorded pacing).`);
    return { mode: 'original', speed };
  }
  return { mode: 'asap' };
}

export function describePacing(pacing: Pacing): string {
  switch (pacing.mode) {
    case 'asap': return 'as fast as possible';
    case 'rate': return `fixed rate, ${pacing.perSecond} deliveries/s`;
    case 'original': return `recorded pacing × ${pacing.speed}`;
  }
}

/**
 * Milliseconds after the replay's start at which delivery number `index`
 * (from 0) is due. `receivedAt` is its recorded receive time and
 * `firstReceivedAt` that of the first delivery. A recording whose times go
 * backwards sends the earlier-stamped delivery at once.
 */
export function dueAfterStart(pacing: Pacing, index: number, receivedAt: number, firstReceivedAt: number): number {
  switch (pacing.mode) {
    case 'asap': return 0;
    case 'rate': return (index * 1000) / pacing.perSecond;
    case 'original': return Math.max(0, receivedAt - firstReceivedAt) / pacing.speed;
  }
}
