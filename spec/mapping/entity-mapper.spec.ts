import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../src/core/logger.js';
import { decodePortAppConfig } from '../../src/mapping/decode.js';
import { DEFAULT_MAPPING_PATH, PACKAGE_ROOT } from '../../src/mapping/default-mapping.js';
import { EntityMapper } from '../../src/mapping/entity-mapper.js';
import { MappingConfigError, UnknownResourceError } from '../../src/mapping/errors.js';
import { JqEngine } from '../../src/mapping/jq-engine.js';
import { loadPortAppConfig } from '../../src/mapping/load.js';
import type { MappedEntity, PortAppConfig, ResourceConfig } from '../../src/mapping/types.js';

function config(resources: unknown[]): PortAppConfig {
  const result = decodePortAppConfig({ resources });
  if (result._tag === 'Left') {
    assert.fail(result.left.message);
  }
  return result.right;
}

function resource(mappings: Record<string, unknown>, options: { query?: string; port?: Record<string, unknown> } = {}) {
  return {
    kind: 'issue',
    selector: { query: options.query ?? 'true' },
    port: { entity: { mappings: { identifier: '.key', blueprint: '"jiraIssue"', ...mappings } }, ...options.port },
  };
}

function payload(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'payloads', name), 'utf8')) as Record<string, unknown>;
}

/** Collects the JSON log lines a logger writes. */
function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

async function mapperFor(resources: unknown[], options: { allowEnv?: boolean } = {}): Promise<EntityMapper> {
  return EntityMapper.create(config(resources), { logger: silentLogger(), ...options });
}

function only(result: MappedEntity[][]): MappedEntity {
  assert.equal(result.length, 1);
  assert.equal(result[0]?.length, 1);
  const mapped = result[0]?.[0];
  assert.ok(mapped);
  return mapped;
}

function first(mapper: EntityMapper): ResourceConfig {
  const found = mapper.resources[0];
  assert.ok(found);
  return found;
}

describe('EntityMapper default mapping', () => {
  let mapper: EntityMapper;

  before(async () => {
    mapper = await EntityMapper.create(loadPortAppConfig({ path: DEFAULT_MAPPING_PATH }), { logger: silentLogger() });
  });

  test('kinds in order', () => {
    assert.deepEqual(mapper.resources.map((entry) => entry.kind), ['project', 'user', 'issue', 'release', 'board', 'sprint']);
  });

  test('issue_created issue', () => {
    const issueResource = mapper.resources.find((entry) => entry.kind === 'issue');
    assert.ok(issueResource);
    const mapped = only(mapper.map(issueResource, [payload('issue_created.json')['issue']]));

    assert.equal(mapped.passedSelector, true);
    assert.deepEqual(mapped.entity, {
      identifier: 'CAT-42',
      blueprint: 'jiraIssue',
      title: 'Add Jira sync to the service catalog',
      properties: {
        // self is https://example.atlassian.net/rest/api/2/10042: scheme, empty segment and host are kept.
        url: 'https://example.atlassian.net/browse/CAT-42',
        status: 'To Do',
        issueType: 'Task',
        components: [],
        creator: null,
        priority: 'Medium',
        labels: ['catalog', 'sync'],
        created: '2026-12-04T10:00:00.123+0000',
        updated: '2026-12-04T10:00:00.123+0000',
        resolutionDate: null,
      },
      relations: {
        project: 'CAT',
        parentIssue: null,
        subtasks: [],
        assignee: null,
        reporter: '712020:3f1c2a9e-1b2c-4d5e-8f90-0a1b2c3d4e5f',
      },
    });
  });

  test('issue null fields listed', () => {
    const issueResource = mapper.resources[2];
    assert.ok(issueResource);
    const mapped = only(mapper.map(issueResource, [payload('issue_created.json')['issue']]));
    const fields = mapped.misconfigured.map((entry) => entry.field);
    assert.deepEqual(fields, ['properties.creator', 'properties.resolutionDate', 'relations.parentIssue', 'relations.assignee']);
  });

  test('project_created project', () => {
    const mapped = only(mapper.map(first(mapper), [payload('project_created.json')['project']]));
    assert.deepEqual(mapped.entity, {
      identifier: 'CAT',
      blueprint: 'jiraProject',
      title: 'Catalog Demo',
      properties: { url: 'https://example.atlassian.net/projects/CAT', totalIssues: null },
      relations: {},
    });
  });

  test('user_created user', () => {
    const userResource = mapper.resources[1];
    assert.ok(userResource);
    const mapped = only(mapper.map(userResource, [payload('user_created.json')['user']]));
    assert.equal(mapped.entity?.identifier, '712020:0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
    assert.equal(mapped.entity?.title, 'New Example User');
    assert.equal(mapped.entity?.properties['avatarUrl'], 'https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/712020:0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f/48');
    assert.equal(mapped.entity?.properties['active'], true);
    assert.equal(mapped.entity?.properties['emailAddress'], null);
  });

  test('unknown resource rejected', () => {
    const foreign = { ...first(mapper), index: 7 };
    assert.throws(() => mapper.map(foreign, [{}]), UnknownResourceError);
  });
});

describe('EntityMapper.create validation', () => {
  test('broken expression names field', async () => {
    const resources = [resource({}), resource({ properties: { url: '.self |' } })];
    await assert.rejects(mapperFor(resources), (error: unknown) => {
      assert.ok(error instanceof MappingConfigError);
      const issue = error.issues[0];
      assert.equal(error.issues.length, 1);
      assert.equal(issue?.path, 'resources[1].port.entity.mappings.properties.url');
      assert.equal(issue?.kind, 'issue');
      assert.equal(issue?.resourceIndex, 1);
      assert.equal(issue?.jqMessage, 'syntax error, unexpected end of file (line 1, column 7)');
      assert.match(error.message, /kind "issue", resource 1, field properties\.url/);
      return true;
    });
  });

  test('broken selector rejected', async () => {
    await assert.rejects(mapperFor([resource({}, { query: 'nosuch(1)' })]), (error: unknown) => {
      assert.ok(error instanceof MappingConfigError);
      assert.equal(error.issues[0]?.path, 'resources[0].selector.query');
      assert.match(error.issues[0]?.jqMessage ?? '', /nosuch\/1 is not defined/);
      return true;
    });
  });

  test('broken search leaf rejected', async () => {
    const team = { combinator: '"and"', rules: [{ property: '"$team"', operator: '"="', value: '.a |' }] };
    await assert.rejects(mapperFor([resource({ team })]), (error: unknown) => {
      assert.ok(error instanceof MappingConfigError);
      assert.equal(error.issues[0]?.path, 'resources[0].port.entity.mappings.team.rules[0].value');
      return true;
    });
  });

  test('search identifier rejected', async () => {
    const identifier = { combinator: '"and"', rules: [{ property: '"$title"', operator: '"="', value: '.name' }] };
    await assert.rejects(mapperFor([resource({ identifier })]), (error: unknown) => {
      assert.ok(error instanceof MappingConfigError);
      assert.equal(error.issues[0]?.path, 'resources[0].port.entity.mappings.identifier');
      assert.match(error.issues[0]?.problem ?? '', /search query/);
      return true;
    });
  });

  test('trailing comment accepted', async () => {
    const mapper = await mapperFor([resource({ title: '.fields.summary # the summary \\' })]);
    const mapped = only(mapper.map(first(mapper), [{ key: 'A-1', fields: { summary: 'S' } }]));
    assert.equal(mapped.entity?.title, 'S');
  });

  test('allowEnv conflict rejected', async () => {
    const engine = await JqEngine.load();
    await assert.rejects(EntityMapper.create(config([resource({})]), { engine, allowEnv: true, logger: silentLogger() }), /allowEnv/);
  });
});

describe('EntityMapper.map semantics', () => {
  test('single quotes rewritten', async () => {
    const mapper = await mapperFor([resource({ blueprint: "'jiraIssue'" }, { query: ".type == 'Bug'" })]);
    const mapped = only(mapper.map(first(mapper), [{ key: 'A-1', type: 'Bug' }]));
    assert.equal(mapped.passedSelector, true);
    assert.equal(mapped.entity?.blueprint, 'jiraIssue');
  });

  test('env guard default', async () => {
    const mapper = await mapperFor([resource({ properties: { home: '$ENV.HOME', all: 'env' } })]);
    const mapped = only(mapper.map(first(mapper), [{ key: 'A-1' }]));
    assert.equal(mapped.entity?.properties['home'], null);
    assert.deepEqual(mapped.entity?.properties['all'], {});
  });

  test('env readable with allowEnv', async () => {
    const mapper = await mapperFor([resource({ properties: { home: '$ENV.HOME' } })], { allowEnv: true });
    const mapped = only(mapper.map(first(mapper), [{ key: 'A-1' }]));
    assert.equal(typeof mapped.entity?.properties['home'], 'string');
  });

  test('selector false keeps entity', async () => {
    const mapper = await mapperFor([resource({}, { query: '.open' })]);
    const mapped = only(mapper.map(first(mapper), [{ key: 'A-1', open: false }]));
    assert.equal(mapped.passedSelector, false);
    assert.equal(mapped.entity?.identifier, 'A-1');
    assert.equal(mapped.selectorError, undefined);
  });

  test('selector non-boolean', async () => {
    const mapper = await mapperFor([resource({}, { query: '.open' })]);
    for (const open of ['yes', 1, null]) {
      const mapped = only(mapper.map(first(mapper), [{ key: 'A-1', open }]));
      assert.equal(mapped.entity, null, `open: ${JSON.stringify(open)}`);
      assert.equal(mapped.passedSelector, false);
      assert.match(mapped.selectorError ?? '', /must return true or false/);
    }
  });

  test('selector error', async () => {
    const mapper = await mapperFor([resource({}, { query: '.a.b' })]);
    const mapped = only(mapper.map(first(mapper), [{ key: 'A-1', a: 3 }]));
    assert.equal(mapped.entity, null);
    assert.match(mapped.selectorError ?? '', /selector\.query failed: Cannot index number/);
  });

  test('missing identifier skipped', async () => {
    const mapper = await mapperFor([resource({})]);
    for (const key of [undefined, '', 0, false, []]) {
      const mapped = only(mapper.map(first(mapper), [{ key }]));
      assert.equal(mapped.entity, null, `key: ${JSON.stringify(key)}`);
      assert.equal(mapped.passedSelector, true);
    }
  });

  test('empty blueprint skipped', async () => {
    const mapper = await mapperFor([resource({ blueprint: '.bp' })]);
    assert.equal(only(mapper.map(first(mapper), [{ key: 'A-1', bp: '' }])).entity, null);
  });

  test('number identifier stringified', async () => {
    const mapper = await mapperFor([resource({ identifier: '.id' })]);
    assert.equal(only(mapper.map(first(mapper), [{ id: 10042 }])).entity?.identifier, '10042');
  });

  test('object identifier skipped', async () => {
    const mapper = await mapperFor([resource({ identifier: '.id' })]);
    const mapped = only(mapper.map(first(mapper), [{ id: { a: 1 } }]));
    assert.equal(mapped.entity, null);
    assert.match(mapped.misconfigured.find((entry) => entry.field === 'identifier')?.error ?? '', /must be a string or a number/);
  });

  test('first output used', async () => {
    const mapper = await mapperFor([resource({ properties: { label: '.labels[]' } })]);
    assert.equal(only(mapper.map(first(mapper), [{ key: 'A-1', labels: ['x', 'y'] }])).entity?.properties['label'], 'x');
  });

  test('empty output is null', async () => {
    const mapper = await mapperFor([resource({ properties: { none: 'empty' } })]);
    const mapped = only(mapper.map(first(mapper), [{ key: 'A-1' }]));
    assert.equal(mapped.entity?.properties['none'], null);
    assert.deepEqual(mapped.misconfigured, [{ field: 'properties.none' }]);
  });

  test('falsy values kept', async () => {
    const mapper = await mapperFor([resource({ properties: { zero: '0', no: 'false', list: '[]' } })]);
    assert.deepEqual(only(mapper.map(first(mapper), [{ key: 'A-1' }])).entity?.properties, { zero: 0, no: false, list: [] });
  });

  test('field error is null', async () => {
    const mapper = await mapperFor([resource({ properties: { name: '.labels.name' } })]);
    const mapped = only(mapper.map(first(mapper), [{ key: 'A-1', labels: ['x'] }]));
    assert.equal(mapped.entity?.properties['name'], null);
    assert.deepEqual(mapped.misconfigured, [{ field: 'properties.name', error: 'Cannot index array with string ("name")' }]);
  });

  test('field errors logged once', async () => {
    const { logger, lines } = capturedLogger();
    const mapper = await EntityMapper.create(config([resource({ properties: { name: '.labels.name' } })]), { logger });
    mapper.map(first(mapper), Array.from({ length: 20 }, (_, i) => ({ key: `A-${i}`, labels: ['x'] })));
    mapper.map(first(mapper), [{ key: 'A-99', labels: ['x'] }]);

    const warnings = lines.filter((line) => line['field'] === 'properties.name');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.['resourceIndex'], 0);
    assert.equal(warnings[0]?.['kind'], 'issue');
  });

  test('search relation leaves evaluated', async () => {
    const owner = { combinator: "'and'", rules: [{ property: '"$team"', operator: '"="', value: '.team' }] };
    const mapper = await mapperFor([resource({ relations: { owner } })]);
    const mapped = only(mapper.map(first(mapper), [{ key: 'A-1', team: 'core' }]));
    assert.deepEqual(mapped.entity?.relations['owner'], { combinator: 'and', rules: [{ property: '$team', operator: '=', value: 'core' }] });
  });

  test('unset fields absent', async () => {
    const mapper = await mapperFor([resource({})]);
    const entity = only(mapper.map(first(mapper), [{ key: 'A-1' }])).entity;
    assert.ok(entity);
    assert.equal('title' in entity, false);
    assert.equal('team' in entity, false);
  });

  test('empty batch', async () => {
    const mapper = await mapperFor([resource({})]);
    assert.deepEqual(mapper.map(first(mapper), []), []);
  });
});

describe('EntityMapper itemsToParse', () => {
  const expanded = resource(
    { identifier: '.item.id', title: '.key + "/" + .item.name', properties: { rest: '.fields.subtasks', other: '.fields.other' } },
    { port: { itemsToParse: '.fields.subtasks' } },
  );

  test('one entity per element', async () => {
    const mapper = await mapperFor([expanded]);
    const result = mapper.map(first(mapper), [
      { key: 'P-1', fields: { subtasks: [{ id: 's1', name: 'a' }, { id: 's2', name: 'b' }], other: 1 } },
      { key: 'P-2', fields: { subtasks: [], other: 2 } },
      { key: 'P-3', fields: { subtasks: [{ id: 's3', name: 'c' }], other: 3 } },
    ]);
    assert.deepEqual(result.map((group) => group.map((mapped) => mapped.entity?.identifier)), [['s1', 's2'], [], ['s3']]);
    assert.equal(result[0]?.[1]?.entity?.title, 'P-1/b');
  });

  test('parsed array removed from parent', async () => {
    const mapper = await mapperFor([expanded]);
    const entity = mapper.map(first(mapper), [{ key: 'P-1', fields: { subtasks: [{ id: 's1' }], other: 1 } }])[0]?.[0]?.entity;
    assert.equal(entity?.properties['rest'], null);
    assert.equal(entity?.properties['other'], 1);
  });

  test('parent kept without transform', async () => {
    const untransformed = { ...expanded, port: { ...expanded.port, itemsToParseTopLevelTransform: false } };
    const mapper = await mapperFor([untransformed]);
    const entity = mapper.map(first(mapper), [{ key: 'P-1', fields: { subtasks: [{ id: 's1' }] } }])[0]?.[0]?.entity;
    assert.deepEqual(entity?.properties['rest'], [{ id: 's1' }]);
  });

  test('custom item name', async () => {
    const named = resource({ identifier: '.sub.id' }, { port: { itemsToParse: '.subs', itemsToParseName: 'sub' } });
    const mapper = await mapperFor([named]);
    assert.equal(mapper.map(first(mapper), [{ subs: [{ id: 'x' }] }])[0]?.[0]?.entity?.identifier, 'x');
  });

  test('non-list yields nothing', async () => {
    const mapper = await mapperFor([expanded]);
    const result = mapper.map(first(mapper), [{ key: 'P-1', fields: { subtasks: 'none' } }, { key: 'P-2' }]);
    assert.deepEqual(result, [[], []]);
  });
});

describe('EntityMapper batches', () => {
  test('500 items in one run', async () => {
    const engine = await JqEngine.load();
    const mapper = await EntityMapper.create(loadPortAppConfig({ path: DEFAULT_MAPPING_PATH }), { engine, logger: silentLogger() });
    const issueResource = mapper.resources[2];
    assert.ok(issueResource);
    const template = payload('issue_created.json')['issue'] as Record<string, unknown>;
    const items = Array.from({ length: 500 }, (_, i) => ({ ...template, key: `CAT-${i + 1}` }));

    const runsBefore = engine.runCount;
    const result = mapper.map(issueResource, items);

    assert.equal(engine.runCount - runsBefore, 1);
    assert.equal(result.length, 500);
    assert.equal(result[499]?.[0]?.entity?.identifier, 'CAT-500');
    assert.equal(result[499]?.[0]?.entity?.properties['url'], 'https://example.atlassian.net/browse/CAT-500');
  });

  test('failing item falls back', async () => {
    const engine = await JqEngine.load();
    const { logger, lines } = capturedLogger();
    const haltOnBad = 'if .bad then "stopped on purpose" | halt_error else .name end';
    const resources = [resource({ title: '.name', properties: { name: haltOnBad } })];
    const mapper = await EntityMapper.create(config(resources), { engine, logger });

    const runsBefore = engine.runCount;
    const result = mapper.map(first(mapper), [{ key: 'A-1', name: 'a' }, { key: 'A-2', name: 'b', bad: true }, { key: 'A-3', name: 'c' }]);

    assert.deepEqual(result.map((group) => group[0]?.entity?.identifier), ['A-1', 'A-2', 'A-3']);
    assert.equal(result[0]?.[0]?.entity?.properties['name'], 'a');
    assert.equal(result[1]?.[0]?.entity?.title, 'b');
    assert.equal(result[1]?.[0]?.entity?.properties['name'], null);
    assert.deepEqual(result[1]?.[0]?.misconfigured, [{ field: 'properties.name', error: 'stopped on purpose' }]);
    assert.ok(engine.runCount - runsBefore > 4, 'batch, three single items, then fields of the failing item');
    assert.equal(lines.filter((line) => line['field'] === 'batch').length, 1);
  });
});
