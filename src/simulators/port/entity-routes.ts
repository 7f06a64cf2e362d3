import { validateEntity } from './entity-validation.js';
import { errorResponse, queryFlag, type JsonResponse } from './http.js';
import { defineRoute, type Route, type RouteContext } from './routes.js';
import type { Blueprint, EntityRejection, StoredEntity, UpsertFlags } from './types.js';
import type { UpsertResult } from './catalog.js';

/** Port's bulk limits (OpenAPI spec): 1 to 20 entities per upsert, 1 to 100 ids per delete. */
export const BULK_UPSERT_MAX = 20;
export const BULK_DELETE_MAX = 100;

function upsertFlags(query: URLSearchParams): UpsertFlags {
  return {
    upsert: queryFlag(query, 'upsert'),
    merge: queryFlag(query, 'merge'),
    createMissingRelatedEntities: queryFlag(query, 'create_missing_related_entities'),
    validationOnly: queryFlag(query, 'validation_only'),
  };
}

function blueprintNotFound(identifier: string): JsonResponse {
  return errorResponse(404, 'not_found', `blueprint "${identifier}" was not found`);
}

function rejectionResponse(rejection: EntityRejection): JsonResponse {
  return errorResponse(rejection.statusCode, rejection.error, rejection.message);
}

/** Validates, applies the rejection rules and upserts one entity of a request body. */
function upsertOne(context: RouteContext, blueprint: Blueprint, raw: unknown, flags: UpsertFlags): UpsertResult {
  const validation = validateEntity(raw, blueprint);
  if (!validation.valid) {
    return { ok: false, rejection: validation.rejection };
  }

  const ruleRejection = context.state.rejectionFor(blueprint.identifier, validation.entity.identifier);
  if (ruleRejection) {
    return { ok: false, rejection: ruleRejection };
  }
  return context.state.catalog.upsert(blueprint, validation.entity, flags);
}

function identifierOf(raw: unknown): string {
  const identifier = (raw as { identifier?: unknown } | null)?.identifier;
  return typeof identifier === 'string' ? identifier : 'unknown';
}

/**
 * `POST /v1/blueprints/{bp}/entities/bulk`: 200 when every entity was
 * upserted, 207 with per-entity `errors[]` when some were not.
 */
function bulkUpsert(context: RouteContext): JsonResponse {
  const raw = (context.body as { entities?: unknown } | undefined)?.entities;
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > BULK_UPSERT_MAX) {
    const found = Array.isArray(raw) ? `${raw.length} entities` : 'no entities array';
    return errorResponse(422, 'invalid_request', `body must be {"entities": [...]} with 1 to ${BULK_UPSERT_MAX} entities, got ${found}`);
  }

  const blueprint = context.state.catalog.blueprintForWrite(context.params['bp']!);
  if (!blueprint) {
    return blueprintNotFound(context.params['bp']!);
  }

  const flags = upsertFlags(context.query);
  const entities: unknown[] = [];
  const errors: unknown[] = [];
  raw.forEach((item, index) => {
    const result = upsertOne(context, blueprint, item, flags);
    if (result.ok) {
      entities.push({ created: result.created, identifier: result.entity.identifier, index, additionalData: {} });
    } else {
      errors.push({ identifier: identifierOf(item), index, ...result.rejection });
    }
  });
  return { status: errors.length === 0 ? 200 : 207, body: { ok: errors.length === 0, entities, errors } };
}

/** `POST /v1/blueprints/{bp}/entities`: 201 when created, 200 when updated, the entity's rejection status otherwise. */
function singleUpsert(context: RouteContext): JsonResponse {
  const blueprint = context.state.catalog.blueprintForWrite(context.params['bp']!);
  if (!blueprint) {
    return blueprintNotFound(context.params['bp']!);
  }

  const result = upsertOne(context, blueprint, context.body, upsertFlags(context.query));
  if (!result.ok) {
    return rejectionResponse(result.rejection);
  }
  return { status: result.created ? 201 : 200, body: { ok: true, entity: result.entity } };
}

/** `POST /v1/blueprints/{bp}/bulk/entities/delete`: ids that do not exist are left out of `deletedEntities`. */
function bulkDelete(context: RouteContext): JsonResponse {
  const ids = (context.body as { entities?: unknown } | undefined)?.entities;
  const valid = Array.isArray(ids) && ids.length >= 1 && ids.length <= BULK_DELETE_MAX && ids.every((id) => typeof id === 'string');
  if (!valid) {
    return errorResponse(422, 'invalid_request', `body must be {"entities": [...]} with 1 to ${BULK_DELETE_MAX} identifier strings`);
  }

  const blueprint = context.params['bp']!;
  if (!context.state.catalog.getBlueprint(blueprint)) {
    return blueprintNotFound(blueprint);
  }

  const result = context.state.catalog.delete(blueprint, ids as string[], queryFlag(context.query, 'delete_dependents'));
  return result.ok ? { status: 200, body: { ok: true, deletedEntities: result.deleted } } : rejectionResponse(result.rejection);
}

/** `DELETE /v1/blueprints/{bp}/entities/{id}`: 404 when the entity does not exist. */
function singleDelete(context: RouteContext): JsonResponse {
  const { bp, id } = context.params as { bp: string; id: string };
  if (!context.state.catalog.getBlueprint(bp)) {
    return blueprintNotFound(bp);
  }
  if (!context.state.catalog.get(bp, id)) {
    return errorResponse(404, 'not_found', `entity "${id}" of blueprint "${bp}" was not found`);
  }

  const result = context.state.catalog.delete(bp, [id], queryFlag(context.query, 'delete_dependents'));
  return result.ok ? { status: 200, body: { ok: true } } : rejectionResponse(result.rejection);
}

function listEntities(context: RouteContext): JsonResponse {
  const bp = context.params['bp']!;
  if (!context.state.catalog.getBlueprint(bp)) {
    return blueprintNotFound(bp);
  }
  return { status: 200, body: { ok: true, entities: context.state.catalog.list(bp) } };
}

function getEntity(context: RouteContext): JsonResponse {
  const { bp, id } = context.params as { bp: string; id: string };
  const entity: StoredEntity | undefined = context.state.catalog.get(bp, id);
  if (!entity) {
    return errorResponse(404, 'not_found', `entity "${id}" of blueprint "${bp}" was not found`);
  }
  return { status: 200, body: { ok: true, entity } };
}

export const entityRoutes: readonly Route[] = [
  defineRoute('POST', '/v1/blueprints/{bp}/entities/bulk', bulkUpsert),
  defineRoute('POST', '/v1/blueprints/{bp}/entities', singleUpsert),
  defineRoute('POST', '/v1/blueprints/{bp}/bulk/entities/delete', bulkDelete),
  defineRoute('DELETE', '/v1/blueprints/{bp}/entities/{id}', singleDelete),
  defineRoute('GET', '/v1/blueprints/{bp}/entities', listEntities),
  defineRoute('GET', '/v1/blueprints/{bp}/entities/{id}', getEntity),
];
