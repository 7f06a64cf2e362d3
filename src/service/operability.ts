import { CONFIG_DEFAULTS, type ServiceConfig } from '../config/service-config.js';
import type { Logger } from '../core/logger.js';
import type { JiraPortStream, JiraPortStreamOptions } from '../embedded.js';
import { JiraClient, type JiraRequestInfo } from '../jira/client.js';
import { JiraRateLimiter } from '../jira/rate-limiter.js';
import type { EventLog } from '../log/event-log.js';
import { ServiceMetrics, type MetricSources } from '../metrics/service-metrics.js';
import { registerWebhook, type RegistrationOutcome } from '../registration/register-webhook.js';
import { planWebhook } from '../registration/webhook-plan.js';
import { PortProbe } from './port-probe.js';
import { Reachability, type System } from './reachability.js';
import { Readiness } from './readiness.js';
import { getOnly, sendJson, type RouteHandler } from './router.js';

/** The parts of a running service that metrics read. */
export interface OperableParts {
  readonly stream: JiraPortStream;
  readonly log: EventLog;
  readonly feed?: MetricSources['feed'];
  readonly deadLetters?: MetricSources['deadLetters'];
}

/**
 * Metrics, readiness and webhook registration of the service, kept out of
 * `service.ts` so that the file only wires them in. `streamOptions` go to
 * the stream, and `routes` and `meterIngress` to the router. Call `attach`
 * before the pipeline starts, `registerWebhook` once the server listens and
 * `stop` when shutdown begins.
 */
export interface Operability {
  readonly metrics: ServiceMetrics;
  readonly reachability: Reachability;
  /** Request and batch observers and the shared Jira limiter, for `createJiraPortStream`. */
  readonly streamOptions: Pick<JiraPortStreamOptions, 'onRequest' | 'onBatch' | 'jiraLimiter'>;
  /** `GET /readyz`, and `GET /metrics` unless `metrics.enabled` is false. */
  routes(): Record<string, RouteHandler>;
  /** Wraps the ingress handler so that every response is counted by status. */
  meterIngress(handler: RouteHandler): RouteHandler;
  attach(parts: OperableParts): void;
  /** Registers the Jira webhook when `webhook.publicUrl` is set; resolves to undefined otherwise. Never rejects. */
  registerWebhook(kinds: Iterable<string>): Promise<RegistrationOutcome | undefined>;
  /** Marks the service as stopping, so `/readyz` responds with 503. Results are counted until the stream completes. */
  stop(): void;
}

/** Builds the operability parts of a service. `onRequest` is an extra observer, such as a benchmark's. */
export function createOperability(config: ServiceConfig, logger: Logger, onRequest?: JiraPortStreamOptions['onRequest']): Operability {
  const metrics = new ServiceMetrics();
  const reachability = new Reachability();
  const jiraLimiter = new JiraRateLimiter();
  const observeRequest = (system: System, info: JiraRequestInfo): void => {
    metrics.observeRequest(system, info);
    reachability.record(system, info);
    onRequest?.(system, info);
  };
  const jira = new JiraClient({ baseUrl: config.jira.baseUrl, auth: jiraAuthOf(config.jira), limiter: jiraLimiter, logger, retry: { limit: 2 }, timeoutMs: 10_000, onRequest: (info) => observeRequest('jira', info) });
  const portProbe = new PortProbe(config.port);

  let readiness: Readiness | undefined;
  return {
    metrics,
    reachability,
    streamOptions: { onRequest: observeRequest, onBatch: (batch) => metrics.observeBatch(batch), jiraLimiter },
    routes: () => ({
      '/readyz': getOnly((_request, response) => void answerReadiness(readiness, response)),
      ...(config.metrics?.enabled === false ? {} : { '/metrics': getOnly((_request, response) => void answerMetrics(metrics, response, logger)) }),
    }),
    meterIngress: (handler) => (request, response) => {
      response.once('finish', () => metrics.observeIngressResponse(response.statusCode));
      handler(request, response);
    },
    attach(parts) {
      metrics.bind({ log: parts.log, inFlight: () => parts.stream.pipeline.inFlight(), deadLetters: parts.deadLetters, feed: parts.feed, jiraLimiter });
      parts.stream.results$.subscribe((result) => metrics.observeResult(result));
      readiness = new Readiness({
        log: parts.log,
        reachability,
        settings: config.readiness ?? CONFIG_DEFAULTS.readiness,
        probes: { jira: async () => void (await jira.hasAdminPermission()), port: () => probePort(portProbe, reachability) },
        logger,
      });
    },
    async registerWebhook(kinds) {
      // NOTE: a registration that failed (Jira unreachable at start) is tried again only at the next start.
      const plan = planWebhook(config, kinds);
      return plan === undefined ? undefined : registerWebhook(jira, plan, logger);
    },
    stop() {
      readiness?.stopAccepting();
    },
  };
}

/** Returns the Jira credentials of a configuration: the bearer token when set, otherwise basic auth with the API token. */
export function jiraAuthOf(jira: ServiceConfig['jira']): ConstructorParameters<typeof JiraClient>[0]['auth'] {
  return jira.bearerToken !== undefined ? { bearerToken: jira.bearerToken } : { email: jira.email ?? '', apiToken: jira.apiToken ?? '' };
}

/** Requests a Port access token and records the outcome, since the probe does not go through the pipeline's client. */
async function probePort(probe: PortProbe, reachability: Reachability): Promise<void> {
  const endpoint = 'POST /v1/auth/access_token';
  try {
    await probe.accessToken();
    reachability.record('port', { endpoint, status: 200 });
  } catch (error) {
    const status = (error as { status?: number }).status;
    reachability.record('port', { endpoint, status: status ?? 'error' });
  }
}

async function answerReadiness(readiness: Readiness | undefined, response: Parameters<RouteHandler>[1]): Promise<void> {
  if (readiness === undefined) {
    sendJson(response, 503, { status: 'starting', checks: [] });
    return;
  }
  const report = await readiness.check();
  sendJson(response, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', checks: report.checks });
}

async function answerMetrics(metrics: ServiceMetrics, response: Parameters<RouteHandler>[1], logger: Logger): Promise<void> {
  try {
    const text = await metrics.text();
    response.writeHead(200, { 'content-type': metrics.contentType, 'content-length': Buffer.byteLength(text) });
    response.end(text);
  } catch (error) {
    logger.error({ err: error }, 'collecting metrics failed');
    sendJson(response, 500, { error: 'metrics_failed', message: `collecting metrics failed: ${error instanceof Error ? error.message : String(error)}` });
  }
}
