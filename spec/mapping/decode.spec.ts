import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePortAppConfig } from '../../src/mapping/decode.js';
import { loadPortAppConfig } from '../../src/mapping/load.js';
import { MappingConfigError, type MappingConfigIssue } from '../../src/mapping/errors.js';
import type { PortAppConfig } from '../../src/mapping/types.js';

function resource(kind: string, selector: Record<string, unknown> = { query: 'true' }, mappings: Record<string, unknown> = {}) {
  return { kind, selector, port: { entity: { mappings: { identifier: '.id', blueprint: '"bp"', ...mappings } } } };
}

function decoded(input: unknown): PortAppConfig {
  const result = decodePortAppConfig(input);
  if (result._tag === 'Left') {
    assert.fail(result.left.message);
  }
  return result.right;
}

function issues(input: unknown): MappingConfigIssue[] {
  const result = decodePortAppConfig(input);
  if (result._tag === 'Right') {
    assert.fail('expected the config to be rejected');
  }
  return [...result.left.issues];
}

function issueAt(input: unknown, path: string): MappingConfigIssue {
  const found = issues(input).find((issue) => issue.path === path);
  assert.ok(found, `no issue at ${path}; got ${issues(input).map((issue) => issue.path).join(', ')}`);
  return found;
}

describe('decodePortAppConfig', () => {
  test('top-level defaults', () => {
    const config = decoded({ resources: [] });
    assert.equal(config.enableMergeEntity, true);
    assert.equal(config.deleteDependentEntities, true);
    assert.equal(config.createMissingRelatedEntities, true);
    assert.equal(config.entityDeletionThreshold, 0.9);
  });

  test('missing resources become empty', () => {
    assert.deepEqual(decoded({}).resources, []);
  });

  test('explicit flags kept', () => {
    const config = decoded({ enableMergeEntity: false, deleteDependentEntities: false, entityDeletionThreshold: 0 });
    assert.equal(config.enableMergeEntity, false);
    assert.equal(config.deleteDependentEntities, false);
    assert.equal(config.entityDeletionThreshold, 0);
  });

  test('port and mapping defaults', () => {
    const [first] = decoded({ resources: [resource('user')] }).resources;
    assert.ok(first);
    assert.equal(first.port.itemsToParseName, 'item');
    assert.equal(first.port.itemsToParseTopLevelTransform, true);
    assert.equal(first.port.itemsToParse, undefined);
    assert.deepEqual(first.port.entity.mappings.properties, {});
    assert.deepEqual(first.port.entity.mappings.relations, {});
  });

  test('index is the position', () => {
    const config = decoded({ resources: [resource('issue'), resource('project'), resource('issue')] });
    assert.deepEqual(config.resources.map((entry) => entry.index), [0, 1, 2]);
  });

  test('issue selector defaults', () => {
    const selector = decoded({ resources: [resource('issue')] }).resources[0]?.selector;
    assert.equal(selector?.['jql'], '(statusCategory != Done) OR (created >= -1w) OR (updated >= -1w)');
    assert.equal(selector?.['fields'], '*all');
    assert.equal(selector?.['expand'], undefined);
  });

  test('issue selector values kept', () => {
    const selector = decoded({ resources: [resource('issue', { query: 'true', jql: 'project = CAT', fields: 'summary', expand: 'changelog' })] })
      .resources[0]?.selector;
    assert.equal(selector?.['jql'], 'project = CAT');
    assert.equal(selector?.['fields'], 'summary');
    assert.equal(selector?.['expand'], 'changelog');
  });

  test('project selector expand default', () => {
    assert.equal(decoded({ resources: [resource('project')] }).resources[0]?.selector['expand'], 'insight');
  });

  test('sprint selector state default', () => {
    assert.deepEqual(decoded({ resources: [resource('sprint')] }).resources[0]?.selector['sprintState'], ['active']);
  });

  test('sprint selector null means all', () => {
    assert.equal(decoded({ resources: [resource('sprint', { query: 'true', sprintState: null })] }).resources[0]?.selector['sprintState'], null);
  });

  test('board selector fields', () => {
    const selector = decoded({ resources: [resource('board', { query: 'true', boardType: 'kanban', projectKey: 'CAT' })] }).resources[0]?.selector;
    assert.equal(selector?.['boardType'], 'kanban');
    assert.equal(selector?.['projectKey'], 'CAT');
  });

  test('extra selector fields kept', () => {
    for (const kind of ['release', 'user', 'worklog', 'comment', 'issue']) {
      const selector = decoded({ resources: [resource(kind, { query: 'true', custom: { a: 1 } })] }).resources[0]?.selector;
      assert.deepEqual(selector?.['custom'], { a: 1 }, kind);
    }
  });

  test('search query relation accepted', () => {
    const relations = { owner: { combinator: '"and"', rules: [{ property: '"$team"', operator: '"="', value: '.team' }] } };
    const mappings = decoded({ resources: [resource('issue', undefined, { relations })] }).resources[0]?.port.entity.mappings;
    assert.deepEqual(mappings?.relations, relations);
  });
});

describe('decodePortAppConfig errors', () => {
  test('missing identifier path', () => {
    const broken = { kind: 'issue', selector: { query: 'true' }, port: { entity: { mappings: { blueprint: '"b"' } } } };
    const issue = issueAt({ resources: [resource('user'), resource('user'), broken] }, 'resources[2].port.entity.mappings.identifier');
    assert.match(issue.problem, /is missing/);
    assert.match(issue.fix, /Add identifier/);
    assert.equal(issue.kind, 'issue');
    assert.equal(issue.resourceIndex, 2);
  });

  test('missing selector query', () => {
    const issue = issueAt({ resources: [resource('issue', { jql: 'x' })] }, 'resources[0].selector.query');
    assert.match(issue.problem, /is missing/);
  });

  test('boolean query must be quoted', () => {
    const issue = issueAt({ resources: [resource('issue', { query: true })] }, 'resources[0].selector.query');
    assert.match(issue.problem, /boolean true/);
    assert.match(issue.fix, /query: "true"/);
  });

  test('threshold out of range', () => {
    const issue = issueAt({ entityDeletionThreshold: 1.5 }, 'entityDeletionThreshold');
    assert.match(issue.problem, /number 1\.5/);
    assert.match(issue.fix, /from 0 to 1/);
  });

  test('flag not boolean', () => {
    assert.match(issueAt({ enableMergeEntity: 'yes' }, 'enableMergeEntity').problem, /expected true or false/);
  });

  test('resources not a list', () => {
    assert.match(issueAt({ resources: { kind: 'issue' } }, 'resources').problem, /an object, expected a list/);
  });

  test('issue jql not a string', () => {
    assert.match(issueAt({ resources: [resource('issue', { query: 'true', jql: 5 })] }, 'resources[0].selector.jql').problem, /number 5/);
  });

  test('sprint state duplicates', () => {
    const issue = issueAt({ resources: [resource('sprint', { query: 'true', sprintState: ['active', 'active'] })] }, 'resources[0].selector.sprintState');
    assert.match(issue.fix, /at most once/);
  });

  test('sprint state unknown', () => {
    issueAt({ resources: [resource('sprint', { query: 'true', sprintState: ['open'] })] }, 'resources[0].selector.sprintState');
  });

  test('board type unknown', () => {
    const issue = issueAt({ resources: [resource('board', { query: 'true', boardType: 'agile' })] }, 'resources[0].selector.boardType');
    assert.match(issue.problem, /one of scrum, kanban, simple/);
  });

  test('property with odd name', () => {
    const path = 'resources[0].port.entity.mappings.properties["due date"]';
    assert.match(issueAt({ resources: [resource('issue', undefined, { properties: { 'due date': 3 } })] }, path).fix, /"3"/);
  });

  test('search rule missing value', () => {
    const relations = { owner: { combinator: '"and"', rules: [{ property: '"x"', operator: '"="' }] } };
    issueAt({ resources: [resource('issue', undefined, { relations })] }, 'resources[0].port.entity.mappings.relations.owner.rules[0].value');
  });

  test('empty expression rejected', () => {
    assert.match(issueAt({ resources: [resource('issue', undefined, { title: '  ' })] }, 'resources[0].port.entity.mappings.title').problem, /empty string/);
  });

  test('itemsToParseName empty', () => {
    const config = { resources: [{ ...resource('issue'), port: { ...resource('issue').port, itemsToParseName: '' } }] };
    issueAt(config, 'resources[0].port.itemsToParseName');
  });

  test('every issue named in message', () => {
    const result = decodePortAppConfig({ entityDeletionThreshold: -1, resources: [resource('issue', {})] });
    assert.ok(result._tag === 'Left');
    assert.match(result.left.message, /entityDeletionThreshold: /);
    assert.match(result.left.message, /resources\[0\]\.selector\.query: /);
  });
});

describe('loadPortAppConfig', () => {
  test('yaml text', () => {
    const config = loadPortAppConfig({ yaml: 'resources:\n  - kind: issue\n    selector:\n      query: "true"\n    port:\n      entity:\n        mappings:\n          identifier: .key\n          blueprint: \'"jiraIssue"\'\n' });
    assert.equal(config.resources[0]?.port.entity.mappings.blueprint, '"jiraIssue"');
  });

  test('invalid yaml', () => {
    assert.throws(() => loadPortAppConfig({ yaml: 'resources: [\n  - kind: issue\n' }), (error: unknown) => {
      assert.ok(error instanceof MappingConfigError);
      assert.match(error.issues[0]?.path ?? '', /yaml line \d+/);
      return true;
    });
  });

  test('file path in message', (t) => {
    const directory = mkdtempSync(join(tmpdir(), 'mapping-'));
    t.after(() => rmSync(directory, { recursive: true, force: true }));
    const path = join(directory, 'mapping.yaml');
    writeFileSync(path, 'entityDeletionThreshold: 3\n');
    assert.throws(() => loadPortAppConfig({ path }), (error: unknown) => {
      assert.ok(error instanceof MappingConfigError);
      assert.ok(error.message.includes(path));
      assert.equal(error.issues[0]?.path, 'entityDeletionThreshold');
      return true;
    });
  });

  test('missing file', () => {
    assert.throws(() => loadPortAppConfig({ path: join(tmpdir(), 'no-such-mapping.yaml') }), (error: unknown) => {
      assert.ok(error instanceof MappingConfigError);
      assert.match(error.issues[0]?.problem ?? '', /ENOENT/);
      return true;
    });
  });
});
