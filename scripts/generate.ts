/**
 * `npm run generate -- [options]`: write a synthetic, seeded stream of Jira
 * webhook deliveries as an NDJSON recording, and optionally the Jira state
 * it belongs to. `--help` lists the options; docs/replay.md explains them.
 */
import { runScript } from '../src/replay/cli-options.js';
import { runGenerate } from '../src/replay/generate-command.js';

runScript(runGenerate);
