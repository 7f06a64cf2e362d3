import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAPPING_PATH } from '../../src/mapping/default-mapping.js';

/** Write the default mapping with the issue resource's `jql` replaced; returns the file path. */
export function mappingWithIssueJql(jql: string): string {
  const text = readFileSync(DEFAULT_MAPPING_PATH, 'utf8');
  const replaced = text.replace(/^(\s+jql:\s*).*$/m, `$1${JSON.stringify(jql)}`);
  if (replaced === text) throw new Error(`the default mapping at ${DEFAULT_MAPPING_PATH} has no issue jql line to replace`);
  const path = join(mkdtempSync(join(tmpdir(), 'jps-mapping-')), 'port-app-config.yaml');
  writeFileSync(path, replaced);
  return path;
}
