import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../../src/mapping/default-mapping.js';

const run = promisify(execFile);

/** The README's library example, taken from the fenced `ts` block under "Use it as a library". */
function readmeExample(): string {
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it as a library'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error('README.md has no ts block under "Use it as a library"');
  return match[1];
}

describe('README library example', () => {
  it('runs and writes the issue to Port', async () => {
    // Inside the package folder, `jira-port-stream` resolves to this package (self-reference through "exports").
    const folder = join(PACKAGE_ROOT, 'dist', 'readme-example');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'example.mjs');
    writeFileSync(file, readmeExample());
    try {
      const { stdout } = await run(process.execPath, [file], { timeout: 60_000, cwd: PACKAGE_ROOT });
      assert.match(stdout, /jira:issue_created upserted/);
      assert.match(stdout, /CAT-1: Add the service catalog/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
