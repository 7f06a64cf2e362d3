import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/mapping/default-mapping.js';

const DOC = readFileSync(join(PACKAGE_ROOT, 'docs', 'architecture.md'), 'utf8');

describe('docs/architecture.md', () => {
  test('names only files that exist', () => {
    const named = [...new Set(DOC.match(/src\/[\w/.-]+\.ts/g) ?? [])];
    const missing = named.filter((path) => !existsSync(join(PACKAGE_ROOT, path)));

    assert.ok(named.length > 20, `expected the page to name the stage files, found ${named.length}`);
    assert.deepEqual(missing, [], 'update docs/architecture.md: these files moved or are gone');
  });

  test('names every module the pipeline assembles', () => {
    const pipeline = readFileSync(join(PACKAGE_ROOT, 'src', 'pipeline', 'pipeline.ts'), 'utf8');
    const modules = [...pipeline.matchAll(/from '\.\/([\w-]+)\.js'/g)].map((match) => `src/pipeline/${match[1] ?? ''}.ts`);
    const unnamed = modules.filter((path) => !DOC.includes(path));

    assert.deepEqual(unnamed, [], 'add these pipeline modules to the stage table of docs/architecture.md');
  });
});
