import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { signBody } from '../ingress/signature.js';
import { deliveryIdOf } from '../ingress/to-delivery.js';
import type { ConvergenceReport } from '../simulators/oracle.js';
import { LatencyHistogram } from './latency.js';
import { describePacing, dueAfterStart, type Pacing } from './pacing.js';
import { REDACTED, type RecordedDelivery } from './recording.js';
import type { ReplayReport } from './report.js';
import type { Acknowledgement, ReplayTarget } from './replay-target.js';
import { ResultTracker } from './result-tracker.js';
import { countsBetween, type CountSource, type RequestCountSummary } from './simulator-counts.js';

export interface ReplayOptions {
  /** The recording's name in the report. */
  readonly source: string;
  /** The deliveries in send order, read lazily so that memory stays bounded. */
  readonly deliveries: AsyncIterable<RecordedDelivery>;
  readonly target: ReplayTarget;
  readonly pacing: Pacing;
  /** Maximum deliveries sent and still waiting for a response. */
  readonly concurrency: number;
  /** Sign every body again with this webhook secret, replacing the recorded `X-Hub-Signature`. */
  readonly secret?: string;
  /** Give every recorded identifier a fresh UUID (retries keep sharing theirs), so a service that already stored the recording accepts it again. */
  readonly newIdentifiers?: boolean;
  /** Maximum milliseconds to wait for the results after the last response. */
  readonly settleTimeoutMs: number;
  /** Compares Port with Jira after the results arrived; only meaningful when Jira is in the stream's final state. */
  readonly convergence?: () => Promise<ConvergenceReport>;
  /** Request counts of the simulators behind the target, read before and after. */
  readonly counters?: { readonly jira?: CountSource; readonly port?: CountSource };
  /** Called after every response, for a progress bar. */
  readonly onProgress?: (progress: ReplayProgress) => void;
  /** Stops sending; the replay still waits for results and reports. */
  readonly signal?: AbortSignal;
}

export interface ReplayProgress {
  readonly sent: number;
  readonly acknowledged: number;
  readonly errors: number;
}

/** Mutable tallies of one replay. */
interface Tally {
  sent: number;
  acknowledged: number;
  errors: number;
  redacted: number;
  readonly statusCounts: Record<string, number>;
  readonly errorSamples: string[];
  readonly ackLatency: LatencyHistogram;
}

/**
 * Replay a recording against a target and report what happened. Each
 * delivery is sent once, in file order, paced by `pacing` with at most
 * `concurrency` in flight. Afterwards the replay waits (at most
 * `settleTimeoutMs`) for the processed result of every delivery the target
 * stored as new, then reads the simulators' request counts. It always ends:
 * it sends nothing twice and waits for nothing without a bound.
 */
export async function replayRecording(options: ReplayOptions): Promise<ReplayReport> {
  const tracker = new ResultTracker();
  const before = await readCounts(options.counters);
  const watch = await options.target.watchResults(tracker.observe);
  const tally: Tally = { sent: 0, acknowledged: 0, errors: 0, redacted: 0, statusCounts: {}, errorSamples: [], ackLatency: new LatencyHistogram() };

  const startedAt = Date.now();
  const interrupted = await sendAll(options, tally, tracker, startedAt);
  const sendDurationMs = Date.now() - startedAt;

  const settleStart = Date.now();
  if (watch.watching) await tracker.waitForAll(options.settleTimeoutMs);
  const settleMs = Date.now() - settleStart;
  const after = await readCounts(options.counters);
  const convergence = options.convergence === undefined ? null : await options.convergence();
  await options.target.close();

  return {
    source: options.source,
    target: options.target.description,
    pacing: describePacing(options.pacing),
    concurrency: options.concurrency,
    resigned: options.secret !== undefined,
    sent: tally.sent,
    acknowledged: tally.acknowledged,
    statusCounts: tally.statusCounts,
    errors: tally.errors,
    errorSamples: tally.errorSamples,
    sendDurationMs,
    sendRate: sendDurationMs > 0 ? (tally.sent * 1000) / sendDurationMs : tally.sent,
    ackLatencyMs: tally.ackLatency.summary(),
    endToEnd: watch.watching ? tracker.summary() : { skipped: watch.reason },
    settleMs,
    convergence,
    jira: difference(before.jira, after.jira),
    port: difference(before.port, after.port),
    warnings: warningsOf(tally, options),
    interrupted,
  };
}

/** Send every delivery with pacing and the concurrency bound. Returns true when `signal` stopped it early. */
async function sendAll(options: ReplayOptions, tally: Tally, tracker: ResultTracker, startedAt: number): Promise<boolean> {
  const inFlight = new Set<Promise<void>>();
  const identifiers = new Map<string, string>();
  let firstReceivedAt: number | undefined;
  let index = 0;

  for await (const recorded of options.deliveries) {
    if (options.signal?.aborted) break;
    firstReceivedAt ??= recorded.receivedAt;
    const wait = startedAt + dueAfterStart(options.pacing, index, recorded.receivedAt, firstReceivedAt) - Date.now();
    if (wait > 0) await sleep(wait, undefined, options.signal === undefined ? {} : { signal: options.signal }).catch(() => undefined);
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    if (options.signal?.aborted) break;

    const headers = prepareHeaders(recorded, options, identifiers, tally);
    const sending: Promise<void> = sendOne(options.target, headers, recorded.body, tally, tracker, options.onProgress).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    index += 1;
  }

  await Promise.all(inFlight);
  return options.signal?.aborted === true;
}

async function sendOne(
  target: ReplayTarget,
  headers: Record<string, string>,
  body: Buffer,
  tally: Tally,
  tracker: ResultTracker,
  onProgress: ReplayOptions['onProgress'],
): Promise<void> {
  const deliveryId = clientDeliveryId(headers, body);
  const sentAt = performance.now();
  if (deliveryId !== undefined) tracker.sent(deliveryId, sentAt);
  tally.sent += 1;

  const acknowledgement = await target.send(headers, body);
  record(acknowledgement, performance.now() - sentAt, tally);
  const storedId = acknowledgement.deliveryId ?? deliveryId;
  if (storedId !== undefined && acknowledgement.status !== null && acknowledgement.status >= 200 && acknowledgement.status < 300) {
    tracker.sent(storedId, sentAt);
    if (acknowledgement.duplicate !== true) tracker.expect(storedId);
  }
  onProgress?.({ sent: tally.sent, acknowledged: tally.acknowledged, errors: tally.errors });
}

function record(acknowledgement: Acknowledgement, latencyMs: number, tally: Tally): void {
  const status = acknowledgement.status === null ? 'no response' : String(acknowledgement.status);
  tally.statusCounts[status] = (tally.statusCounts[status] ?? 0) + 1;

  if (acknowledgement.status !== null && acknowledgement.status >= 200 && acknowledgement.status < 300) {
    tally.acknowledged += 1;
    tally.ackLatency.record(latencyMs);
    return;
  }
  tally.errors += 1;
  const sample = `${status}: ${acknowledgement.error ?? 'no detail'}`;
  if (tally.errorSamples.length < 5 && !tally.errorSamples.includes(sample)) tally.errorSamples.push(sample);
}

/** Build the headers to send: signed again when a secret is given, with fresh identifiers when requested. */
function prepareHeaders(recorded: RecordedDelivery, options: ReplayOptions, identifiers: Map<string, string>, tally: Tally): Record<string, string> {
  const headers = { ...recorded.headers };
  if (options.secret !== undefined) headers['x-hub-signature'] = signBody(options.secret, recorded.body);
  else if (headers['x-hub-signature'] === REDACTED) tally.redacted += 1;

  // NOTE: a delivery without an identifier (Data Center) is deduplicated by a hash of its body,
  // so --new-ids cannot make the service accept it a second time.
  const identifier = headers['x-atlassian-webhook-identifier'];
  if (options.newIdentifiers === true && identifier !== undefined) {
    const fresh = identifiers.get(identifier) ?? randomUUID();
    identifiers.set(identifier, fresh);
    headers['x-atlassian-webhook-identifier'] = fresh;
  }
  return headers;
}

/** Return the delivery id the service derives, or undefined for an invalid identifier, which the service rejects. */
function clientDeliveryId(headers: Record<string, string>, body: Buffer): string | undefined {
  try {
    return deliveryIdOf(headers, body);
  } catch {
    return undefined;
  }
}

async function readCounts(counters: ReplayOptions['counters']): Promise<{ jira: RequestCountSummary | null; port: RequestCountSummary | null }> {
  return {
    jira: counters?.jira === undefined ? null : await counters.jira(),
    port: counters?.port === undefined ? null : await counters.port(),
  };
}

function difference(before: RequestCountSummary | null, after: RequestCountSummary | null): RequestCountSummary | null {
  return before === null || after === null ? null : countsBetween(before, after);
}

function warningsOf(tally: Tally, options: ReplayOptions): string[] {
  const warnings: string[] = [];
  if (tally.redacted > 0) {
    warnings.push(`${tally.redacted} deliveries carried a redacted X-Hub-Signature; pass --secret to sign them again`);
  }
  if (options.signal?.aborted) warnings.push('the replay was interrupted before every delivery was sent');
  return warnings;
}
