import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { adminRoutes } from './admin-routes.js';
import { authAndBlueprintRoutes } from './auth-blueprint-routes.js';
import { entityRoutes } from './entity-routes.js';
import { errorResponse, parseJsonBody, PORT_BODY_LIMIT_BYTES, readBody, sendJson, type JsonResponse } from './http.js';
import { matchRoute, type Route } from './routes.js';
import type { PortSimulatorState } from './state.js';
import type { Logger } from '../../core/logger.js';

const portRoutes: readonly Route[] = [...authAndBlueprintRoutes, ...entityRoutes];

/** Admin bodies (blueprint lists, fault settings) may exceed Port's 1 MiB limit. */
const ADMIN_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** Reads and parses the body of a matched route. Returns an error response when it is too large or not JSON. */
async function readJson(request: IncomingMessage, limit: number): Promise<{ body: unknown } | JsonResponse> {
  if (request.method === 'GET' || request.method === 'DELETE') {
    request.resume();
    return { body: undefined };
  }

  const read = await readBody(request, limit);
  if (read.tooLarge) {
    return errorResponse(413, 'request_too_large', `request body is larger than ${limit} bytes`);
  }
  const body = parseJsonBody(read.bytes);
  if (body instanceof SyntaxError) {
    return errorResponse(400, 'invalid_json', `request body is not valid JSON: ${body.message}`);
  }
  return { body };
}

/** Runs a route handler on the parsed body. */
async function runRoute(state: PortSimulatorState, request: IncomingMessage, url: URL, route: Route, params: Record<string, string>, limit: number): Promise<JsonResponse> {
  const read = await readJson(request, limit);
  if ('status' in read) {
    return read;
  }
  return route.handle({ state, params, query: url.searchParams, body: read.body });
}

/**
 * Handles a Port API request in this order: latency, org rate limit,
 * injected failure, bearer token, body, route. Every response carries the
 * `x-ratelimit-*` headers and is counted by endpoint template and status.
 */
async function handlePortRequest(state: PortSimulatorState, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const method = request.method ?? 'GET';
  const matched = matchRoute(portRoutes, method, url.pathname);
  const endpoint = `${method} ${matched?.route.template ?? 'unknown route'}`;

  await sleep(state.faults.latencyMs());
  const rate = state.rateLimit.take();
  const reply = await decidePortReply(state, request, url, matched, rate);

  state.counter.record(endpoint, reply.status);
  sendJson(response, reply, rate.headers);
}

async function decidePortReply(
  state: PortSimulatorState,
  request: IncomingMessage,
  url: URL,
  matched: ReturnType<typeof matchRoute>,
  rate: ReturnType<PortSimulatorState['rateLimit']['take']>,
): Promise<JsonResponse> {
  if (!matched) {
    return errorResponse(404, 'not_found', `no Port API route for ${request.method ?? 'GET'} ${url.pathname}`);
  }
  if (rate.limited) {
    return errorResponse(429, 'too_many_requests', 'organization rate limit exceeded', { 'retry-after': String(rate.retryAfterSeconds) });
  }

  const failure = state.faults.takeFailure(matched.route.method, matched.route.template, url.pathname);
  if (failure) {
    const headers: Record<string, string> = failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
    return errorResponse(failure.status, failure.error, 'failure injected by the simulator', headers);
  }

  const tokenProblem = matched.route.authenticated ? state.tokens.check(request.headers.authorization) : null;
  if (tokenProblem) {
    return errorResponse(401, 'unauthorized', `bearer token is ${tokenProblem}; fetch a new one from /v1/auth/access_token`);
  }
  return runRoute(state, request, url, matched.route, matched.params, PORT_BODY_LIMIT_BYTES);
}

async function handleAdminRequest(state: PortSimulatorState, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const matched = matchRoute(adminRoutes, request.method ?? 'GET', url.pathname);
  const reply = matched
    ? await runRoute(state, request, url, matched.route, matched.params, ADMIN_BODY_LIMIT_BYTES)
    : errorResponse(404, 'not_found', `no admin route for ${request.method ?? 'GET'} ${url.pathname}`);
  sendJson(response, reply);
}

/** Creates the simulator's HTTP server. `/_sim/` paths go to the admin API and all others to the Port API. */
export function createPortServer(state: PortSimulatorState, logger: Logger): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const handle = url.pathname.startsWith('/_sim/') ? handleAdminRequest : handlePortRequest;
    handle(state, request, response, url).catch((error: unknown) => {
      // A handler bug must not crash the test process, so it is logged and the client gets a 500 that names it.
      const message = error instanceof Error ? error.message : String(error);
      logger.error({ err: error, method: request.method, path: url.pathname }, 'port simulator handler failed');
      if (!response.headersSent) {
        sendJson(response, errorResponse(500, 'internal_error', `simulator error: ${message}`));
      } else {
        response.destroy();
      }
    });
  });
}
