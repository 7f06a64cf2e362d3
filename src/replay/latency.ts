import * as hdr from 'hdr-histogram-js';

/** Latency percentiles in milliseconds, with three significant digits. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** Largest latency recorded exactly: one hour. Longer values are clamped to it. */
const MAX_TRACKED_MICROSECONDS = 3_600_000_000;

/**
 * An HDR histogram of latencies (hdr-histogram-js, pure JavaScript).
 * Values are kept in microseconds, so sub-millisecond acknowledgements on
 * loopback still have distinct percentiles.
 */
export class LatencyHistogram {
  readonly #histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: MAX_TRACKED_MICROSECONDS,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  /** Record one latency in milliseconds; negative values count as 0. */
  record(milliseconds: number): void {
    const microseconds = Math.round(Math.max(0, milliseconds) * 1000);
    this.#histogram.recordValue(Math.min(MAX_TRACKED_MICROSECONDS, Math.max(1, microseconds)));
  }

  /** Percentiles of what was recorded, or null when nothing was. */
  summary(): LatencySummary | null {
    const histogram = this.#histogram;
    if (histogram.totalCount === 0) return null;

    const ms = (microseconds: number): number => Math.round(microseconds) / 1000;
    return {
      count: histogram.totalCount,
      p50: ms(histogram.getValueAtPercentile(50)),
      p90: ms(histogram.getValueAtPercentile(90)),
      p99: ms(histogram.getValueAtPercentile(99)),
      p999: ms(histogram.getValueAtPercentile(99.9)),
      max: ms(histogram.maxValue),
      mean: ms(histogram.mean),
    };
  }
}
