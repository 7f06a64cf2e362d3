import type { IncomingHttpHeaders } from 'node:http';

/** A parsed request as route handlers see it. */
export interface SimRequest {
  readonly method: string;
  readonly path: string;
  /** Values of the `{name}` segments of the route template. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The JSON body, or undefined when the request had none. */
  readonly body: unknown;
  readonly headers: IncomingHttpHeaders;
}

export interface SimResponse {
  readonly status: number;
  /** Sent as JSON. Omitted for undefined (such as 204 responses). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type RouteHandler = (request: SimRequest) => SimResponse | Promise<SimResponse>;

interface Route {
  readonly method: string;
  readonly template: string;
  readonly segments: readonly string[];
  readonly handler: RouteHandler;
}

/** The outcome of matching a request: a route, a path served only for other methods (405), or nothing (404). */
export type RouteMatch =
  | { readonly kind: 'found'; readonly template: string; readonly handler: RouteHandler; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly template: string; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

/** A route table keyed by method and path template, such as `GET /rest/api/3/issue/{issueIdOrKey}`. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: RouteHandler): this {
    this.routes.push({ method, template, segments: template.split('/'), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const segments = path.split('/');
    const candidates = this.routes
      .map((route) => ({ route, params: matchSegments(route.segments, segments) }))
      .filter((candidate): candidate is { route: Route; params: Record<string, string> } => candidate.params !== null);

    const exact = candidates.find((candidate) => candidate.route.method === method);
    if (exact !== undefined) {
      return { kind: 'found', template: exact.route.template, handler: exact.route.handler, params: exact.params };
    }
    const first = candidates[0];
    if (first !== undefined) {
      return { kind: 'method-not-allowed', template: first.route.template, allowed: candidates.map((candidate) => candidate.route.method) };
    }
    return { kind: 'not-found' };
  }
}

/** Returns the decoded `{name}` values when the path fits the template, otherwise null. */
function matchSegments(template: readonly string[], path: readonly string[]): Record<string, string> | null {
  if (template.length !== path.length) return null;

  const params: Record<string, string> = {};
  for (const [index, part] of template.entries()) {
    const actual = path[index] ?? '';
    if (part.startsWith('{') && part.endsWith('}')) {
      if (actual === '') return null;
      const decoded = safeDecode(actual);
      if (decoded === null) return null;
      params[part.slice(1, -1)] = decoded;
    } else if (part !== actual) {
      return null;
    }
  }
  return params;
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
