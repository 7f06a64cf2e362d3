import type { Observable } from 'rxjs';
import { silentLogger, type Logger } from './core/logger.js';
import type { ProcessedResult } from './core/results.js';
import { IssueFetchBatcher } from './jira/issue-batcher.js';
import { JiraClient, type JiraRequestInfo } from './jira/client.js';
import type { JiraRateLimiter } from './jira/rate-limiter.js';
import type { JiraApi } from './jira/types.js';
import type { AppendResult, EventLog } from './log/event-log.js';
import { MemoryEventLog } from './log/memory-event-log.js';
import { SqliteEventLog } from './log/sqlite-event-log.js';
import { EntityMapper } from './mapping/entity-mapper.js';
import { meterJiraFetches, meterPortWrites, type BatchObserver } from './metrics/metered-apis.js';
import { loadPortAppConfig, type MappingSource } from './mapping/load.js';
import { DEFAULT_MAPPING_PATH } from './mapping/default-mapping.js';
import { toIncomingDelivery } from './ingress/to-delivery.js';
import type { PortAppConfig } from './mapping/types.js';
import { PortClient } from './port/client.js';
import type { PortApi } from './port/types.js';
import { Pipeline, type PipelineTuning } from './pipeline/pipeline.js';
import type { DeadLetterSink } from './pipeline/finish-work.js';
import type { WrittenIndex } from './pipeline/written-index.js';
import { defaultProcessors } from './processors/index.js';

/** The Jira site's URL and credentials, or a ready `JiraApi` (tests and hosts may bring their own). */
export type JiraSettings =
  | JiraApi
  | { readonly baseUrl: string; readonly email?: string; readonly apiToken?: string; readonly bearerToken?: string };

/** The Port API's URL and credentials, or a ready `PortApi`. */
export type PortSettings = PortApi | { readonly baseUrl: string; readonly clientId: string; readonly clientSecret: string };

export interface JiraPortStreamOptions {
  readonly jira: JiraSettings;
  readonly port: PortSettings;
  /** The mapping: decoded, a YAML path or text; default the bundled mapping (projects, users, issues, releases, boards, sprints). */
  readonly mapping?: PortAppConfig | MappingSource;
  /** Webhook secret shared with Jira; without it, `allowUnsigned: true` is required. */
  readonly webhook?: { readonly secret?: string; readonly allowUnsigned?: boolean };
  /** The event log, or a SQLite file path; default an in-memory log. */
  readonly eventLog?: EventLog | { readonly path: string };
  /** Store for failed work; default the SQLite log's dead-letter store, none for other logs. */
  readonly deadLetters?: DeadLetterSink;
  /** Index of the entities written to Port; default the SQLite log's written index, an in-memory one for other logs. */
  readonly written?: WrittenIndex;
  readonly tuning?: Partial<PipelineTuning>;
  /**
   * When false, every issue fetch is its own search (one Jira request per
   * delivery, as Ocean does). Only the benchmark turns it off. Default true.
   */
  readonly batchJiraFetches?: boolean;
  readonly logger?: Logger;
  /** Called after every Jira and Port request, for metrics and benchmarks. */
  readonly onRequest?: (system: 'jira' | 'port', info: JiraRequestInfo) => void;
  /** Called with the size of every Jira issue fetch (after batching) and every Port bulk write, for metrics. */
  readonly onBatch?: BatchObserver;
  /** The Jira site's shared rate limiter, when other clients of the site (webhook registration) use it too. */
  readonly jiraLimiter?: JiraRateLimiter;
}

/** A delivery as a host hands it in: the raw body and the request headers. */
export interface PushedDelivery {
  readonly body: Buffer | string | object;
  readonly headers?: Readonly<Record<string, string>>;
  readonly receivedAt?: number;
}

/** A running pipeline for embedding in a host process. */
export interface JiraPortStream {
  /** Every delivery's processed result, as it happens (hot). */
  readonly results$: Observable<ProcessedResult>;
  readonly pipeline: Pipeline;
  readonly log: EventLog;
  readonly mapping: PortAppConfig;
  /** Append a delivery to the event log; it is processed once `start` was called. */
  push(delivery: PushedDelivery): Promise<AppendResult>;
  start(): void;
  /** Resolve once every pushed delivery has its processed result. */
  settled(timeoutMs?: number): Promise<void>;
  /** Stop reading, wait for work in flight (up to `deadlineMs`), close the log if this stream opened it. */
  stop(deadlineMs?: number): Promise<{ readonly drained: boolean }>;
}

/**
 * Build the pipeline from a config object: clients, mapping (every JQ
 * expression is validated here), event log and processors.
 */
export async function createJiraPortStream(options: JiraPortStreamOptions): Promise<JiraPortStream> {
  const logger = options.logger ?? silentLogger();
  const webhook = options.webhook ?? {};
  if ((webhook.secret === undefined || webhook.secret === '') && webhook.allowUnsigned !== true) {
    throw new Error('webhook.secret is not set: pass the secret shared with the Jira webhook, or set webhook.allowUnsigned: true to accept unsigned deliveries');
  }

  const mapping = isPortAppConfig(options.mapping) ? options.mapping : await loadPortAppConfig(options.mapping ?? { path: DEFAULT_MAPPING_PATH });
  const mapper = await EntityMapper.create(mapping, { logger });
  const ownsLog = options.eventLog === undefined || !('append' in options.eventLog);
  const log = eventLogOf(options.eventLog);
  const jira = jiraApiOf(options, logger);
  const port = options.onBatch ? meterPortWrites(portApiOf(options, logger), options.onBatch) : portApiOf(options, logger);

  const deadLetters = options.deadLetters ?? (log instanceof SqliteEventLog ? log.deadLetters : undefined);
  const written = options.written ?? (log instanceof SqliteEventLog ? log.written : undefined);

  const pipeline = new Pipeline({
    log,
    mapping,
    mapper,
    jira,
    port,
    processors: defaultProcessors(webhook),
    logger,
    ...(deadLetters ? { deadLetters } : {}),
    ...(written ? { written } : {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
  });

  return {
    results$: pipeline.results$,
    pipeline,
    log,
    mapping,
    push: (delivery) => log.append(toIncomingDelivery(delivery.headers ?? {}, bodyOf(delivery.body), delivery.receivedAt ?? Date.now())),
    start: () => pipeline.start(),
    settled: (timeoutMs) => pipeline.settled(timeoutMs),
    stop: async (deadlineMs) => {
      const stopped = await pipeline.stop(deadlineMs);
      if (ownsLog) await log.close();
      return stopped;
    },
  };
}

function isPortAppConfig(mapping: JiraPortStreamOptions['mapping']): mapping is PortAppConfig {
  return mapping !== undefined && 'resources' in mapping;
}

function eventLogOf(setting: JiraPortStreamOptions['eventLog']): EventLog {
  if (setting === undefined) return new MemoryEventLog();
  if ('append' in setting) return setting;
  return SqliteEventLog.open(setting.path);
}

function jiraApiOf(options: JiraPortStreamOptions, logger: Logger): JiraApi {
  const settings = options.jira;
  if ('issuesById' in settings) return settings;

  const auth = settings.bearerToken !== undefined
    ? { bearerToken: settings.bearerToken }
    : { email: settings.email ?? '', apiToken: settings.apiToken ?? '' };
  const client = new JiraClient({
    baseUrl: settings.baseUrl,
    auth,
    logger,
    ...(options.jiraLimiter ? { limiter: options.jiraLimiter } : {}),
    ...(options.onRequest ? { onRequest: (info: JiraRequestInfo) => options.onRequest?.('jira', info) } : {}),
  });
  const fetcher = options.onBatch ? meterJiraFetches(client, options.onBatch) : client;
  return new IssueFetchBatcher(fetcher, { enabled: options.batchJiraFetches !== false });
}

function portApiOf(options: JiraPortStreamOptions, logger: Logger): PortApi {
  const settings = options.port;
  if ('upsertEntities' in settings) return settings;
  return new PortClient({
    baseUrl: settings.baseUrl,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    logger,
    ...(options.onRequest ? { onRequest: (info: JiraRequestInfo) => options.onRequest?.('port', info) } : {}),
  });
}

function bodyOf(body: PushedDelivery['body']): Buffer {
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
}
