import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { DEFAULT_BLUEPRINTS_PATH, DEFAULT_MAPPING_PATH } from '../../src/mapping/default-mapping.js';
import { loadPortAppConfig } from '../../src/mapping/load.js';

interface Blueprint {
  identifier: string;
  schema: { properties: Record<string, unknown> };
  relations?: Record<string, { target: string }>;
}

const blueprints = (): Blueprint[] => JSON.parse(readFileSync(DEFAULT_BLUEPRINTS_PATH, 'utf8')) as Blueprint[];

describe('default mapping files', () => {
  test('paths absolute and present', () => {
    assert.ok(isAbsolute(DEFAULT_MAPPING_PATH));
    assert.ok(existsSync(DEFAULT_MAPPING_PATH));
    assert.ok(existsSync(DEFAULT_BLUEPRINTS_PATH));
  });

  test('blueprint identifiers', () => {
    assert.deepEqual(blueprints().map((blueprint) => blueprint.identifier), ['jiraProject', 'jiraUser', 'jiraIssue', 'jiraRelease', 'jiraBoard', 'jiraSprint']);
  });

  test('relation targets defined earlier', () => {
    const seen = new Set<string>();
    for (const blueprint of blueprints()) {
      seen.add(blueprint.identifier);
      for (const [name, relation] of Object.entries(blueprint.relations ?? {})) {
        assert.ok(seen.has(relation.target), `${blueprint.identifier}.${name} targets ${relation.target}`);
      }
    }
  });

  test('mapped fields exist in blueprints', () => {
    const byId = new Map(blueprints().map((blueprint) => [blueprint.identifier, blueprint]));
    for (const resource of loadPortAppConfig({ path: DEFAULT_MAPPING_PATH }).resources) {
      const mappings = resource.port.entity.mappings;
      const blueprint = byId.get(JSON.parse(mappings.blueprint) as string);
      assert.ok(blueprint, `blueprint of ${resource.kind}`);
      for (const property of Object.keys(mappings.properties)) {
        assert.ok(property in blueprint.schema.properties, `${blueprint.identifier} property ${property}`);
      }
      for (const relation of Object.keys(mappings.relations)) {
        assert.ok(relation in (blueprint.relations ?? {}), `${blueprint.identifier} relation ${relation}`);
      }
    }
  });
});
