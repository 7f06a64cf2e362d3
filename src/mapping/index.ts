/**
 * The mapping: Port app config decoding and JQ evaluation into entities.
 */
export type * from './types.js';
export { decodePortAppConfig } from './decode.js';
export { loadPortAppConfig, type MappingSource } from './load.js';
export { DEFAULT_BLUEPRINTS_PATH, DEFAULT_MAPPING_PATH, PACKAGE_ROOT, findPackageRoot } from './default-mapping.js';
export { MappingConfigError, UnknownResourceError, type MappingConfigIssue } from './errors.js';
export { ENV_GUARD, JqEngine, JqEvaluationError, rewriteSingleQuotes, type JqEngineOptions } from './jq-engine.js';
export { EntityMapper, type EntityMapperOptions } from './entity-mapper.js';
export { BOARD_TYPES, DEFAULT_ISSUE_FIELDS, DEFAULT_ISSUE_JQL, DEFAULT_PROJECT_EXPAND, SPRINT_STATES } from './selectors.js';
