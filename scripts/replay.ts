/**
 * `npm run replay -- FILE [options]`: replay an NDJSON recording against a
 * running service, an embedded pipeline or a local service with
 * simulators, and print a report. `--help` lists the options;
 * docs/replay.md explains them.
 */
import { runScript } from '../src/replay/cli-options.js';
import { runReplay } from '../src/replay/replay-command.js';

runScript(runReplay);
