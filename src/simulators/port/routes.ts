import type { JsonResponse } from './http.js';
import type { PortSimulatorState } from './state.js';

/** Input of a route handler: decoded path parameters, query and parsed JSON body. */
export interface RouteContext {
  readonly state: PortSimulatorState;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface Route {
  readonly method: string;
  /** Path template with `{name}` parameters, also the key of the request counts. */
  readonly template: string;
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
  /** Whether the route needs a valid bearer token. */
  readonly authenticated: boolean;
  readonly handle: (context: RouteContext) => JsonResponse;
}

/** Builds a route. Each `{name}` in the template matches one percent-encoded path segment. */
export function defineRoute(method: string, template: string, handle: Route['handle'], authenticated = true): Route {
  const parameterNames: string[] = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_match, name: string) => {
    parameterNames.push(name);
    return '([^/]+)';
  });
  return { method, template, pattern: new RegExp(`^${source}$`), parameterNames, authenticated, handle };
}

/** Finds the route for a method and path. Returns it with decoded parameters, or null. */
export function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of routes) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (!match) {
      continue;
    }
    const params: Record<string, string> = {};
    route.parameterNames.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1]!);
    });
    return { route, params };
  }
  return null;
}
