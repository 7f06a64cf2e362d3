import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProcessedResult } from '../core/results.js';
import type { RateLimiterStats } from '../jira/rate-limiter.js';
import type { JiraRequestInfo } from '../jira/transport.js';
import type { BatchInfo } from './metered-apis.js';

/** Prefix of every metric name except the process metrics of prom-client's `collectDefaultMetrics`. */
export const METRIC_PREFIX = 'jira_port_stream_';

/** Sources the gauges read at scrape time. Every source is optional. */
export interface MetricSources {
  /** Highest offset and checkpoint of the event log. */
  readonly log?: { headOffset(): number; lastCheckpoint(): number };
  readonly inFlight?: () => number;
  /** Dead letters waiting for a redrive. */
  readonly deadLetters?: { count(): number };
  readonly feed?: { clientCount(): number; counters(): Readonly<Record<string, number>> };
  readonly jiraLimiter?: { stats(): RateLimiterStats };
}

const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100];

/**
 * The service's Prometheus metrics, in a registry of their own so that
 * several services in one process (tests) do not clash. Counters and
 * histograms are fed by the `observe...` methods; gauges read their
 * sources when scraped.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  #sources: MetricSources = {};
  /** Count of Port 429 responses by endpoint. The Port client waits after each one. */
  readonly #portRateLimited = new Map<string, number>();

  readonly #deliveries = new Counter({ name: `${METRIC_PREFIX}deliveries_total`, help: 'Processed deliveries by webhook event and outcome. Events no processor handles count as "other".', labelNames: ['event', 'outcome'], registers: [this.registry] });
  readonly #latency = new Histogram({ name: `${METRIC_PREFIX}delivery_latency_seconds`, help: 'Time from accepting a delivery to its processed result, by outcome.', labelNames: ['outcome'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly #ingress = new Counter({ name: `${METRIC_PREFIX}ingress_responses_total`, help: 'Responses of POST /integration/webhook by HTTP status.', labelNames: ['status'], registers: [this.registry] });
  readonly #requests = new Counter({ name: `${METRIC_PREFIX}requests_total`, help: 'Jira and Port HTTP attempts (retries included) by endpoint template and status ("error" for network errors and timeouts).', labelNames: ['system', 'endpoint', 'status'], registers: [this.registry] });
  readonly #requestDuration = new Histogram({ name: `${METRIC_PREFIX}request_duration_seconds`, help: 'Duration of Jira and Port HTTP attempts.', labelNames: ['system', 'endpoint'], buckets: REQUEST_BUCKETS, registers: [this.registry] });
  readonly #batchSize = new Histogram({ name: `${METRIC_PREFIX}batch_size`, help: 'Ids per Jira issue fetch and entities per Port bulk write.', labelNames: ['system', 'operation'], buckets: BATCH_BUCKETS, registers: [this.registry] });

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.#registerRateLimitWaits();
    this.#registerGauges();
  }

  /** Set the sources the gauges read. Call it again to replace them. */
  bind(sources: MetricSources): void {
    this.#sources = sources;
  }

  observeResult(result: ProcessedResult): void {
    this.#deliveries.inc({ event: eventLabel(result), outcome: result.outcome });
    this.#latency.observe({ outcome: result.outcome }, Math.max(0, result.timings.finishedAt - result.timings.receivedAt) / 1000);
  }

  /** Counts one Jira or Port attempt. A Port 429 also counts as a rate-limit wait. */
  observeRequest(system: 'jira' | 'port', info: JiraRequestInfo): void {
    this.#requests.inc({ system, endpoint: info.endpoint, status: String(info.status) });
    this.#requestDuration.observe({ system, endpoint: info.endpoint }, info.durationMs / 1000);
    if (system === 'port' && info.status === 429) this.#portRateLimited.set(info.endpoint, (this.#portRateLimited.get(info.endpoint) ?? 0) + 1);
  }

  observeBatch(batch: BatchInfo): void {
    this.#batchSize.observe({ system: batch.system, operation: batch.operation }, batch.size);
  }

  observeIngressResponse(status: number): void {
    this.#ingress.inc({ status: String(status) });
  }

  /** Renders every metric in the text exposition format for `GET /metrics`. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Waits imposed by rate limits. Jira's come from the shared limiter, by
   * reason (a `RateLimit-Reason` value, `rate-limited`, `near-limit`,
   * `backoff`, `concurrency`...). Port's are the 429 responses, each of which
   * makes the Port client pause.
   * NOTE: the Port client does not report how long it paused, so Port has no wait-seconds series.
   */
  #registerRateLimitWaits(): void {
    const sources = (): MetricSources => this.#sources;
    const portRateLimited = this.#portRateLimited;
    new Counter({
      name: `${METRIC_PREFIX}rate_limit_waits_total`,
      help: 'Waits imposed by rate limits: Jira by limiter reason, Port by the endpoint of each 429 response.',
      labelNames: ['system', 'reason'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [reason, counter] of Object.entries(sources().jiraLimiter?.stats().waits ?? {})) this.inc({ system: 'jira', reason }, counter.waits);
        for (const [endpoint, count] of portRateLimited) this.inc({ system: 'port', reason: `429 ${endpoint}` }, count);
      },
    });
    new Counter({
      name: `${METRIC_PREFIX}rate_limit_wait_seconds_total`,
      help: 'Total time Jira requests waited in the shared limiter, by reason.',
      labelNames: ['system', 'reason'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [reason, counter] of Object.entries(sources().jiraLimiter?.stats().waits ?? {})) this.inc({ system: 'jira', reason }, counter.totalWaitMs / 1000);
      },
    });
  }

  #registerGauges(): void {
    const sources = (): MetricSources => this.#sources;
    const gauge = (name: string, help: string, read: (current: MetricSources) => number | undefined): void => {
      new Gauge({
        name: `${METRIC_PREFIX}${name}`,
        help,
        registers: [this.registry],
        collect() {
          const value = read(sources());
          if (value === undefined) this.reset();
          else this.set(value);
        },
      });
    };

    gauge('log_head_offset', 'Highest offset in the event log.', (current) => current.log?.headOffset());
    gauge('log_checkpoint_offset', 'Offset up to which every delivery has ended.', (current) => current.log?.lastCheckpoint());
    gauge('log_backlog', 'Deliveries in the event log above the checkpoint: accepted and not yet ended.', (current) => (current.log ? Math.max(0, current.log.headOffset() - current.log.lastCheckpoint()) : undefined));
    gauge('deliveries_in_flight', 'Deliveries read from the log whose processing has not ended.', (current) => current.inFlight?.());
    gauge('dead_letters', 'Dead letters waiting for a redrive.', (current) => current.deadLetters?.count());
    gauge('feed_clients', 'Connected WebSocket feed clients.', (current) => current.feed?.clientCount());
    this.#registerFeedCounters(sources);
  }

  #registerFeedCounters(sources: () => MetricSources): void {
    new Counter({
      name: `${METRIC_PREFIX}feed_events_total`,
      help: 'Feed totals since start: clientsAccepted, handshakesRejected, messagesSent, slowConsumersDropped, deadClientsTerminated.',
      labelNames: ['event'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [event, count] of Object.entries(sources().feed?.counters() ?? {})) this.inc({ event }, count);
      },
    });
  }
}

/**
 * Returns the `event` label: the webhook event when a processor handles it. Other
 * names are grouped as `other`, because Jira's event list grows and each
 * label value is a time series of its own.
 */
export function eventLabel(result: ProcessedResult): string {
  if (result.webhookEvent === null) return 'none';
  return result.processors.length > 0 ? result.webhookEvent : 'other';
}
