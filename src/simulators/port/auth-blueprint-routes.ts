import { blueprintView, parseBlueprint } from './blueprint-input.js';
import { isRecord } from './entity-validation.js';
import { errorResponse, type JsonResponse } from './http.js';
import { defineRoute, type Route, type RouteContext } from './routes.js';

/**
 * `POST /v1/auth/access_token`: body `{clientId, clientSecret}` with no other
 * fields (422 otherwise), 401 on wrong credentials, else a bearer token.
 */
function accessToken(context: RouteContext): JsonResponse {
  const body = context.body;
  const shapeValid = isRecord(body)
    && typeof body['clientId'] === 'string'
    && typeof body['clientSecret'] === 'string'
    && Object.keys(body).length === 2;
  if (!shapeValid) {
    return errorResponse(422, 'invalid_request', 'body must be {"clientId": string, "clientSecret": string} with no other fields');
  }

  const { clientId, clientSecret } = context.state.settings;
  if (body['clientId'] !== clientId || body['clientSecret'] !== clientSecret) {
    return errorResponse(401, 'unauthorized', 'invalid client id or client secret');
  }

  const { accessToken: token, expiresIn } = context.state.tokens.issue();
  return { status: 200, body: { ok: true, accessToken: token, expiresIn, tokenType: 'Bearer' } };
}

/** `POST /v1/blueprints`: 409 when the identifier is taken. */
function createBlueprint(context: RouteContext): JsonResponse {
  const parsed = parseBlueprint(context.body);
  if (!parsed.ok) {
    return errorResponse(422, 'invalid_request', parsed.message);
  }
  if (!context.state.catalog.createBlueprint(parsed.blueprint)) {
    return errorResponse(409, 'identifier_taken', `blueprint "${parsed.blueprint.identifier}" already exists`);
  }
  return { status: 200, body: { ok: true, blueprint: blueprintView(parsed.blueprint) } };
}

function getBlueprint(context: RouteContext): JsonResponse {
  const blueprint = context.state.catalog.getBlueprint(context.params['bp']!);
  if (!blueprint) {
    return errorResponse(404, 'not_found', `blueprint "${context.params['bp']!}" was not found`);
  }
  return { status: 200, body: { ok: true, blueprint: blueprintView(blueprint) } };
}

export const authAndBlueprintRoutes: readonly Route[] = [
  defineRoute('POST', '/v1/auth/access_token', accessToken, false),
  defineRoute('POST', '/v1/blueprints', createBlueprint),
  defineRoute('GET', '/v1/blueprints/{bp}', getBlueprint),
];
