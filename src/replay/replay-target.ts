import type { Outcome } from '../core/results.js';

/** A target's response to one delivery. */
export interface Acknowledgement {
  /**
   * The HTTP status, or for the embedded pipeline the status the ingress
   * would have sent (202 stored, 200 duplicate). Null when no response came.
   */
  readonly status: number | null;
  /** The delivery id that the target stored, from a 2xx response. */
  readonly deliveryId?: string;
  readonly duplicate?: boolean;
  /** The error code and message of a rejection, or why no response came. */
  readonly error?: string;
}

/** One processed result seen by the replay. */
export interface ObservedResult {
  readonly deliveryId: string;
  readonly outcome: Outcome;
  /** `performance.now()` when the replay received it, comparable with the send times the replay takes. */
  readonly observedAt: number;
}

export type WatchStatus = { readonly watching: true } | { readonly watching: false; readonly reason: string };

/** The destination of a replay: a service over HTTP, or an embedded pipeline. */
export interface ReplayTarget {
  /** The URL or name shown in the report. */
  readonly description: string;
  /** Send one delivery and wait for the response. Never rejects: failures come back as an `Acknowledgement`. */
  send(headers: Readonly<Record<string, string>>, body: Buffer): Promise<Acknowledgement>;
  /** Start passing processed results to `onResult`. Resolves once watching, or with the reason it cannot watch. */
  watchResults(onResult: (result: ObservedResult) => void): Promise<WatchStatus>;
  /** Stop watching and release connections. */
  close(): Promise<void>;
}
