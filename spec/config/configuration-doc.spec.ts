import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { CONFIG_KEYS, decodeServiceConfig, LOG_LEVEL_ENV, SECRET_ENV } from '../../src/config/service-config.js';
import { dottedKeys } from '../../src/config/unknown-keys.js';
import { PACKAGE_ROOT } from '../../src/mapping/default-mapping.js';

const DOC = readFileSync(join(PACKAGE_ROOT, 'docs', 'configuration.md'), 'utf8');
const ALL_KEYS = dottedKeys(CONFIG_KEYS);
/** Keys that hold a value, not a section. */
const LEAF_KEYS = ALL_KEYS.filter((key) => !ALL_KEYS.some((other) => other.startsWith(`${key}.`)));

/** Parses the first fenced YAML block of the page, the complete example file. */
function exampleFile(): unknown {
  const block = /```yaml\n([\s\S]*?)```/.exec(DOC)?.[1];
  assert.ok(block, 'docs/configuration.md has no yaml block');
  return parseYaml(block);
}

describe('docs/configuration.md', () => {
  test('names every key', () => {
    const missing = LEAF_KEYS.filter((key) => !DOC.includes(`| \`${key}\` |`));

    assert.deepEqual(missing, [], 'add a table row for each of these keys');
  });

  test('names every environment variable', () => {
    const missing = [...Object.values(SECRET_ENV), LOG_LEVEL_ENV].filter((name) => !DOC.includes(`| \`${name}\` |`));

    assert.deepEqual(missing, []);
  });

  test('example file decodes', () => {
    const env = { JIRA_API_TOKEN: 't', PORT_CLIENT_SECRET: 's', WEBHOOK_SECRET: 'w' };

    assert.doesNotThrow(() => decodeServiceConfig(exampleFile(), env, join(PACKAGE_ROOT, 'config')));
  });

  test('example file sets every key', () => {
    const example = exampleFile();
    const missing = LEAF_KEYS.filter((key) => key.split('.').reduce<unknown>((value, part) => (value as Record<string, unknown> | undefined)?.[part], example) === undefined);

    assert.deepEqual(missing, []);
  });
});
