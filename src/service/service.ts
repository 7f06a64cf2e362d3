import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/logger.js';
import type { ServiceConfig } from '../config/service-config.js';
import { createJiraPortStream, type JiraPortStream, type JiraPortStreamOptions } from '../embedded.js';
import { attachFeed, type FeedHandle } from '../feed/feed-server.js';
import { MemoryResultHistory } from '../feed/history.js';
import { createFeedPageHandler } from '../feed/page.js';
import { createWebhookHandler, type WebhookHandler } from '../ingress/webhook-handler.js';
import { MemoryEventLog } from '../log/memory-event-log.js';
import { startRetentionTimer, type RetentionTimer } from '../log/retention-timer.js';
import { startAutoRedrive, type AutoRedrive } from '../pipeline/auto-redrive.js';
import { SqliteEventLog } from '../log/sqlite-event-log.js';
import type { RegistrationOutcome } from '../registration/register-webhook.js';
import { ServiceRecorder, type RecordSettings } from '../replay/service-recorder.js';
import { createOperability, type Operability } from './operability.js';
import { createRouter, getOnly, sendJson } from './router.js';

/** The webhook path Ocean serves, kept so Jira webhooks can be re-pointed without changes. */
export const WEBHOOK_PATH = '/integration/webhook';

export interface RunningService {
  /** Base URL the HTTP server listens on, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly stream: JiraPortStream;
  readonly server: Server;
  readonly feed: FeedHandle;
  readonly ingress: WebhookHandler;
  /** The Jira webhook registration started after listening; undefined when `webhook.publicUrl` is not set. Never rejects. */
  readonly webhookRegistration: Promise<RegistrationOutcome | undefined>;
  /** Stop accepting, finish or checkpoint work in flight, close the feed, the server and the log. */
  close(): Promise<{ readonly drained: boolean }>;
}

/** Overrides for tests and the demo: ready clients instead of the configured URLs. */
export type ServiceOverrides = Pick<JiraPortStreamOptions, 'onRequest' | 'batchJiraFetches'> & {
  readonly jira?: JiraPortStreamOptions['jira'];
  readonly port?: JiraPortStreamOptions['port'];
  /** Append every accepted delivery to an NDJSON recording (`serve --record`, see docs/replay.md). */
  readonly record?: RecordSettings;
};

/**
 * Start the service: event log, pipeline, HTTP ingress at
 * `POST /integration/webhook`, `GET /healthz`, `GET /readyz`, `GET /metrics`,
 * the live page at `GET /` and the WebSocket feed at `/feed`. Registers the
 * Jira webhook in the background when `webhook.publicUrl` is set.
 */
export async function startService(config: ServiceConfig, logger: Logger, overrides: ServiceOverrides = {}): Promise<RunningService> {
  const log = openEventLog(config, logger);
  const operability = createOperability(config, logger, overrides.onRequest);
  const stream = await createJiraPortStream({
    jira: overrides.jira ?? config.jira,
    port: overrides.port ?? config.port,
    ...(config.mapping !== undefined ? { mapping: { path: config.mapping } } : {}),
    webhook: { ...(config.webhook.secret !== undefined ? { secret: config.webhook.secret } : {}), allowUnsigned: config.webhook.allowUnsigned },
    eventLog: log,
    ...(log instanceof SqliteEventLog ? { deadLetters: log.deadLetters, written: log.written } : {}),
    tuning: config.pipeline,
    logger,
    ...operability.streamOptions,
    ...(overrides.batchJiraFetches !== undefined ? { batchJiraFetches: overrides.batchJiraFetches } : {}),
  });

  const recorder = overrides.record === undefined ? undefined : new ServiceRecorder(overrides.record, log, logger);
  const ingress = createWebhookHandler({
    log,
    ...(recorder !== undefined ? { onAccepted: recorder.onAccepted } : {}),
    ...(config.webhook.secret !== undefined ? { secret: config.webhook.secret } : {}),
    allowUnsigned: config.webhook.allowUnsigned,
    maxBodyBytes: config.webhook.maxBodyBytes,
    logger,
  });
  if (config.webhook.secret === undefined) logger.warn({}, 'webhook.allowUnsigned is true: deliveries are accepted without a signature check');
  warnAboutShortSecrets(config, logger);

  const server = createServer(
    createRouter({
      [WEBHOOK_PATH]: operability.meterIngress((request, response) => ingress.handle(request, response)),
      '/healthz': getOnly((_request, response) => {
        const failure = stream.pipeline.failure();
        if (failure) sendJson(response, 503, { status: 'pipeline stopped', error: failure.message, fix: 'restart the service; the log replays from the last checkpoint' });
        else sendJson(response, 200, { status: 'ok' });
      }),
      ...operability.routes(),
      '/': getOnly(createFeedPageHandler()),
    }),
  );
  const feed = attachFeed(server, stream.results$, {
    history: log instanceof SqliteEventLog ? log.results : new MemoryResultHistory(config.feed.historySize),
    allowAnonymous: config.feed.allowAnonymous,
    ...(config.feed.token !== undefined ? { token: config.feed.token } : {}),
    logger,
  });
  operability.attach({ stream, log, feed, deadLetters: log instanceof SqliteEventLog ? log.deadLetters : undefined });

  stream.start();
  const retention = startRetentionTimer(log, { logger });
  const autoRedrive = log instanceof SqliteEventLog
    ? startAutoRedrive({ pipeline: stream.pipeline, log, deadLetters: log.deadLetters, mapping: stream.mapping }, { logger })
    : undefined;
  await listen(server, config.server.host, config.server.port);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url, webhook: `${url}${WEBHOOK_PATH}`, eventLog: config.eventLog.path }, 'service started');
  const webhookRegistration = operability.registerWebhook(stream.mapping.resources.map((resource) => resource.kind));

  let closing: Promise<{ drained: boolean }> | undefined;
  const close = (): Promise<{ drained: boolean }> => {
    closing ??= shutdown(config, logger, { server, ingress, stream, feed, recorder, operability, retention, autoRedrive });
    return closing;
  };
  return { url, stream, server, feed, ingress, webhookRegistration, close };
}

async function shutdown(
  config: ServiceConfig,
  logger: Logger,
  parts: {
    server: Server;
    ingress: WebhookHandler;
    stream: JiraPortStream;
    feed: FeedHandle;
    recorder: ServiceRecorder | undefined;
    operability: Operability;
    retention: RetentionTimer;
    autoRedrive: AutoRedrive | undefined;
  },
): Promise<{ drained: boolean }> {
  logger.info({ deadlineMs: config.shutdown.deadlineMs }, 'shutting down: no new deliveries are accepted');
  parts.operability.stop();
  parts.ingress.setAccepting(false);
  const deadline = Date.now() + config.shutdown.deadlineMs;
  if (!(await idleBefore(parts.ingress, config.shutdown.deadlineMs))) {
    // Nothing of these requests is in the log yet and none got a 2xx, so Jira sends them again.
    logger.warn({}, 'requests still reading their body at the shutdown deadline are cut off; Jira retries them');
    parts.server.closeAllConnections();
  }
  await parts.recorder?.close();

  const stopped = await parts.stream.stop(Math.max(0, deadline - Date.now()));
  if (!stopped.drained) logger.warn({}, 'shutdown deadline passed with work in flight; it is processed again on the next start');
  await parts.feed.close();
  await new Promise<void>((resolve) => parts.server.close(() => resolve()));
  parts.retention.stop();
  parts.autoRedrive?.stop();
  await parts.stream.log.close();
  logger.info({ drained: stopped.drained }, 'service stopped');
  return stopped;
}

/** Shorter secrets than this can be guessed or brute-forced; `openssl rand -hex 32` gives 64 characters. */
const MIN_SECRET_LENGTH = 16;

function warnAboutShortSecrets(config: ServiceConfig, logger: Logger): void {
  const secrets: Array<[string, string | undefined]> = [['WEBHOOK_SECRET', config.webhook.secret], ['FEED_TOKEN', config.feed.token]];
  for (const [variable, value] of secrets) {
    if (value !== undefined && value.length < MIN_SECRET_LENGTH) {
      logger.warn({ variable, length: value.length, minimum: MIN_SECRET_LENGTH }, `${variable} is short; use a random value such as the output of openssl rand -hex 32`);
    }
  }
}

/** True when the ingress finished its requests within `timeoutMs`. */
function idleBefore(ingress: WebhookHandler, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
    void ingress.whenIdle().then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function openEventLog(config: ServiceConfig, logger: Logger): MemoryEventLog | SqliteEventLog {
  if (config.eventLog.path === ':memory:') return new MemoryEventLog();
  const day = 24 * 60 * 60 * 1000;
  return SqliteEventLog.open(config.eventLog.path, {
    retentionMs: config.eventLog.retentionDays * day,
    dedupeWindowMs: config.eventLog.dedupeDays * day,
    logger,
  });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
