import type { IncomingMessage, ServerResponse } from 'node:http';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Dispatch by path only. Each handler checks its own method, so that it can
 * return 405 with the right `Allow` header. Unknown paths get a JSON 404.
 */
export function createRouter(routes: Readonly<Record<string, RouteHandler>>): RouteHandler {
  return (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const handler = routes[path];
    if (handler) {
      handler(request, response);
      return;
    }
    sendJson(response, 404, { error: 'not_found', message: `no route for ${path}; webhooks go to POST /integration/webhook` });
  };
}

/** Serve GET (and HEAD) only; other methods get 405 with `Allow: GET, HEAD`. */
export function getOnly(handler: RouteHandler): RouteHandler {
  return (request, response) => {
    if (request.method === 'GET' || request.method === 'HEAD') {
      handler(request, response);
      return;
    }
    response.setHeader('Allow', 'GET, HEAD');
    sendJson(response, 405, { error: 'method_not_allowed', message: `${request.method ?? ''} is not allowed here; use GET` });
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
