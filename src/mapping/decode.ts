/**
 * Decoding of the Port app config (the mapping) with io-ts, applying
 * Ocean's defaults.
 */
import * as t from 'io-ts';
import { type Either, left, right } from 'fp-ts/lib/Either.js';
import { flag, isRecord, jqExpression, jqOrSearchQuery, nonEmptyString, optional, ratio, withDefault } from './codecs.js';
import { reportDecodeErrors } from './decode-report.js';
import { MappingConfigError } from './errors.js';
import { selectorCodecFor } from './selectors.js';
import type { PortAppConfig, ResourceConfig } from './types.js';

const entityMapping = t.type(
  {
    identifier: jqOrSearchQuery,
    title: optional(jqExpression),
    blueprint: jqExpression,
    icon: optional(jqExpression),
    team: optional(jqOrSearchQuery),
    properties: withDefault(t.record(t.string, jqExpression, 'a map from property name to JQ expression'), {}),
    relations: withDefault(
      t.record(t.string, jqOrSearchQuery, 'a map from relation name to JQ expression or search query'),
      {},
    ),
  },
  'an entity mapping object with identifier and blueprint',
);

const portResource = t.type(
  {
    entity: t.type({ mappings: entityMapping }, 'an object with mappings'),
    itemsToParse: optional(jqExpression),
    itemsToParseName: withDefault(nonEmptyString, 'item'),
    itemsToParseTopLevelTransform: withDefault(flag, true),
  },
  'an object with entity.mappings',
);

const resourceCodecs = new Map<string, t.Mixed>();

/** Returns the codec of a resource config whose selector is checked for `kind`. */
function resourceCodecFor(kind: string): t.Mixed {
  let codec = resourceCodecs.get(kind);
  if (codec === undefined) {
    codec = t.type({ kind: nonEmptyString, selector: selectorCodecFor(kind), port: portResource }, 'a resource config object');
    resourceCodecs.set(kind, codec);
  }
  return codec;
}

/** A resource config: reads `kind` first, then checks `selector` with that kind's codec. */
const resourceConfig = new t.Type<Omit<ResourceConfig, 'index'>, unknown, unknown>(
  'a resource config object with kind, selector and port',
  (input): input is Omit<ResourceConfig, 'index'> => isRecord(input),
  (input, context) => {
    if (!isRecord(input)) {
      return t.failure(input, context);
    }
    const kind = typeof input['kind'] === 'string' ? input['kind'] : '';
    return resourceCodecFor(kind).validate(input, context);
  },
  t.identity,
);

const portAppConfig = t.type(
  {
    enableMergeEntity: withDefault(flag, true),
    deleteDependentEntities: withDefault(flag, true),
    createMissingRelatedEntities: withDefault(flag, true),
    entityDeletionThreshold: withDefault(ratio, 0.9),
    resources: withDefault(t.array(resourceConfig, 'a list of resource configs'), []),
  },
  'a Port app config object',
);

/**
 * Decodes a parsed mapping (a YAML or JSON document) into a `PortAppConfig`
 * with Ocean's defaults applied and `index` set to each resource's position.
 * Returns every problem found, each naming the path, the problem and the fix.
 */
export function decodePortAppConfig(input: unknown): Either<MappingConfigError, PortAppConfig> {
  const decoded = portAppConfig.decode(input);
  if (decoded._tag === 'Left') {
    return left(new MappingConfigError(reportDecodeErrors(decoded.left)));
  }

  const config = decoded.right;
  const resources: ResourceConfig[] = config.resources.map((resource, index) => ({ ...resource, index }));
  return right({ ...config, resources });
}
