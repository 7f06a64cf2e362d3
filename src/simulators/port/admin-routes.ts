import { parseBlueprint } from './blueprint-input.js';
import { isRecord } from './entity-validation.js';
import { errorResponse, type JsonResponse } from './http.js';
import { defineRoute, type Route, type RouteContext } from './routes.js';
import type { Blueprint, FaultSettings, RejectIdentifierRule } from './types.js';

const OK: JsonResponse = { status: 200, body: { ok: true } };

/** Reads a list either sent bare or wrapped as `{ [field]: [...] }`. */
function listFromBody(body: unknown, field: string): unknown[] | null {
  if (Array.isArray(body)) {
    return body;
  }
  const wrapped = isRecord(body) ? body[field] : undefined;
  return Array.isArray(wrapped) ? wrapped : null;
}

/** Runs a state change that throws on invalid settings, and turns the error into a 422 that names the setting. */
function applySettings(change: () => void): JsonResponse {
  try {
    change();
    return OK;
  } catch (error) {
    if (error instanceof RangeError || error instanceof SyntaxError || error instanceof TypeError) {
      return errorResponse(422, 'invalid_request', error.message);
    }
    throw error;
  }
}

function loadBlueprints(context: RouteContext): JsonResponse {
  const list = listFromBody(context.body, 'blueprints');
  if (!list) {
    return errorResponse(422, 'invalid_request', 'body must be a list of blueprints or {"blueprints": [...]}');
  }

  const blueprints: Blueprint[] = [];
  for (const raw of list) {
    const parsed = parseBlueprint(raw);
    if (!parsed.ok) {
      return errorResponse(422, 'invalid_request', parsed.message);
    }
    blueprints.push(parsed.blueprint);
  }
  context.state.loadBlueprints(blueprints);
  return OK;
}

function setFaults(context: RouteContext): JsonResponse {
  if (!isRecord(context.body)) {
    return errorResponse(422, 'invalid_request', 'body must be a fault settings object; send {} to clear the faults');
  }
  const failNext = context.body['failNext'];
  if (failNext !== undefined && !(Array.isArray(failNext) && failNext.every((rule) => isRecord(rule) && typeof rule['path'] === 'string'))) {
    return errorResponse(422, 'invalid_request', 'failNext must be a list of rules, each with a string "path"');
  }
  return applySettings(() => context.state.setFaults(context.body as FaultSettings));
}

function rejectIdentifiers(context: RouteContext): JsonResponse {
  const rules = listFromBody(context.body, 'rules');
  if (!rules || !rules.every(isRecord)) {
    return errorResponse(422, 'invalid_request', 'body must be a list of rules or {"rules": [...]}; send [] to clear them');
  }
  return applySettings(() => context.state.rejectIdentifiers(...(rules as RejectIdentifierRule[])));
}

/** The simulator's admin API: test setup and inspection, outside Port's API, without auth or faults. */
export const adminRoutes: readonly Route[] = [
  defineRoute('POST', '/_sim/reset', ({ state }) => {
    state.reset();
    return OK;
  }, false),
  defineRoute('POST', '/_sim/blueprints', loadBlueprints, false),
  defineRoute('GET', '/_sim/entities', ({ state }) => ({ status: 200, body: state.allEntities() }), false),
  defineRoute('GET', '/_sim/requests', ({ state }) => ({ status: 200, body: state.requestCounts() }), false),
  defineRoute('DELETE', '/_sim/requests', ({ state }) => {
    state.resetRequestCounts();
    return OK;
  }, false),
  defineRoute('GET', '/_sim/faults', ({ state }) => ({ status: 200, body: state.faults.current() }), false),
  defineRoute('PUT', '/_sim/faults', setFaults, false),
  defineRoute('PUT', '/_sim/reject-identifiers', rejectIdentifiers, false),
  defineRoute('POST', '/_sim/expire-tokens', ({ state }) => {
    state.expireTokens();
    return OK;
  }, false),
];
