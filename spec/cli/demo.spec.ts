import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../../src/mapping/default-mapping.js';

const run = promisify(execFile);

describe('demo command', () => {
  it('processes every sample and exits 0', async () => {
    const cli = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
    const { stdout } = await run(process.execPath, [cli, 'demo'], { timeout: 60_000 });

    assert.match(stdout, /issue moved CAT-42 -> PLAT-7 .* upserted +\+jiraIssue\/PLAT-7 -jiraIssue\/CAT-42/);
    assert.match(stdout, /project moved to trash .* deleted +-jiraProject\/CAT -jiraIssue\/CAT-43/);
    assert.match(stdout, /project restored .* upserted +\+jiraProject\/CAT \+jiraIssue\/CAT-43/);
    assert.match(stdout, /unknown event .* ignored/);
    assert.match(stdout, /Jira retry of "issue created" .* 200 +duplicate/);
    assert.match(stdout, /forged delivery \(bad signature\) .* 401/);
    assert.doesNotMatch(stdout, / failed /);
  });
});
