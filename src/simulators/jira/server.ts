import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger, type Logger } from '../../core/logger.js';
import { createAdminRouter } from './admin-api.js';
import { isAuthorized, type JiraCredentials } from './auth.js';
import { InvalidInputError, NotFoundError, SimulatorError, UnauthorizedError } from './errors.js';
import type { JiraFaults } from './faults.js';
import { errorResponse, readJsonBody, writeResponse } from './http-io.js';
import { isLoopbackHost } from './loopback.js';
import { createRestRouter } from './rest-api.js';
import type { Router, SimResponse } from './router.js';
import { JiraState } from './state.js';

export interface JiraSimulatorOptions {
  /** Port to listen on. Default 0 (an ephemeral port). */
  port?: number;
  /** Loopback address to listen on. Default 127.0.0.1. Other hosts are rejected. */
  host?: string;
  /** When set, REST requests without these credentials get 401 (the `/_sim` API needs none). */
  auth?: JiraCredentials;
  /** Delay added to every REST response, in ms (not to `/_sim`). */
  latencyMs?: number;
  /** Search-index lag in ms. `search/jql` returns the data as it was this long ago, except for the ids in `reconcileIssues`. Default 0. */
  indexLagMs?: number;
  /** Target of the signed webhooks sent when data changes. Loopback URLs only. */
  webhook?: { url: string; secret?: string };
  /** Whether the credentials have the "Administer Jira" global permission. Default true. */
  admin?: boolean;
  /** Pause between webhook delivery attempts, in ms. Default 200 (Jira Cloud waits minutes). */
  webhookRetryDelayMs?: number;
  /** Time allowed for one webhook delivery attempt, in ms. Default 10 000. */
  webhookTimeoutMs?: number;
  /** Logger for starts, stops, webhook retries and handler errors. Default silent. */
  logger?: Logger;
}

export interface JiraSimulator {
  /** Base URL, such as `http://127.0.0.1:43123`. */
  readonly url: string;
  /** In-process access to the same operations as the `/_sim` admin API. */
  readonly state: JiraState;
  /** Stops the server and cancels pending webhook deliveries. */
  close(): Promise<void>;
}

/** Starts a Jira Cloud simulator on the loopback interface. */
export async function startJiraSimulator(options: JiraSimulatorOptions = {}): Promise<JiraSimulator> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new InvalidInputError(`Invalid host "${host}"; the Jira simulator listens only on loopback, such as 127.0.0.1.`);
  }

  const logger = options.logger ?? silentLogger();
  const faults: JiraFaults = {
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
    ...(options.indexLagMs === undefined ? {} : { indexLagMs: options.indexLagMs }),
  };
  const state = new JiraState({
    logger,
    faults,
    webhook: options.webhook,
    webhookRetryDelayMs: options.webhookRetryDelayMs,
    webhookTimeoutMs: options.webhookTimeoutMs,
  });

  const handler = new RequestHandler(state, options, logger);
  const server = createServer((request, response) => {
    handler.handle(request, response).catch((error: unknown) => {
      logger.error({ error: error instanceof Error ? error.message : String(error) }, 'Jira simulator failed to respond');
      if (!response.headersSent) writeResponse(response, errorResponse(error));
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });

  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  state.store.baseUrl = url;
  logger.info({ url }, 'Jira simulator started');

  const close = async (): Promise<void> => {
    handler.stop();
    await state.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    logger.info({ url }, 'Jira simulator stopped');
  };
  return { url, state, close };
}

/**
 * Serves one request. REST calls are counted and pass through latency,
 * faults and authentication, in that order. `/_sim` calls skip all three.
 */
class RequestHandler {
  private readonly rest: Router;
  private readonly admin: Router;
  private readonly stopping = new AbortController();

  constructor(
    private readonly state: JiraState,
    private readonly options: JiraSimulatorOptions,
    private readonly logger: Logger,
  ) {
    this.rest = createRestRouter(state, { admin: options.admin ?? true });
    this.admin = createAdminRouter(state);
  }

  stop(): void {
    this.stopping.abort();
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();

    if (url.pathname.startsWith('/_sim/')) {
      writeResponse(response, await this.dispatch(this.admin, method, url, request));
      return;
    }

    const match = this.rest.match(method, url.pathname);
    const template = match.kind === 'not-found' ? url.pathname : match.template;
    const latency = this.state.faultInjector.latencyMs();
    if (latency > 0) await sleep(latency, undefined, { signal: this.stopping.signal }).catch(() => undefined);

    const check = this.state.faultInjector.check(method, template, url.pathname, Date.now());
    if (check.injected !== undefined) request.resume();
    const result = check.injected !== undefined
      ? { status: check.injected.status, headers: check.injected.headers, body: { errorMessages: [check.injected.message], errors: {} } }
      : await this.authorizedDispatch(method, url, request);

    this.state.counter.record(method, template, result.status);
    writeResponse(response, result, check.headers);
  }

  private async authorizedDispatch(method: string, url: URL, request: IncomingMessage): Promise<SimResponse> {
    if (!isAuthorized(request.headers, this.options.auth)) {
      request.resume();
      return errorResponse(new UnauthorizedError());
    }
    return this.dispatch(this.rest, method, url, request);
  }

  /** Runs the matching route. Errors become Jira-style error responses, and unexpected ones are logged. */
  private async dispatch(router: Router, method: string, url: URL, request: IncomingMessage): Promise<SimResponse> {
    try {
      const match = router.match(method, url.pathname);
      if (match.kind === 'not-found') {
        request.resume();
        throw new NotFoundError('route', url.pathname, `No ${method} route for ${url.pathname} in the Jira simulator.`);
      }
      if (match.kind === 'method-not-allowed') {
        request.resume();
        return { status: 405, headers: { allow: match.allowed.join(', ') }, body: { errorMessages: [`Method ${method} is not allowed on ${match.template}.`], errors: {} } };
      }

      const body = await readJsonBody(request);
      return await match.handler({ method, path: url.pathname, params: match.params, query: url.searchParams, body, headers: request.headers });
    } catch (error) {
      if (!(error instanceof SimulatorError)) {
        this.logger.error({ method, path: url.pathname, error: error instanceof Error ? error.message : String(error) }, 'Jira simulator handler failed');
      }
      return errorResponse(error);
    }
  }
}
