import { parseArgs } from 'node:util';
import { formatReport } from '../../config/check/check-report.js';
import { runCheck } from '../../config/check/run-check.js';

/**
 * `check --config FILE [--json]`: check the configuration, the mapping, Jira
 * and Port, and print a report. Exits 0 when nothing is an error (warnings
 * allowed), 1 otherwise, and 2 on a usage error.
 */
export async function check(args: readonly string[], output: NodeJS.WritableStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { config: { type: 'string', short: 'c' }, json: { type: 'boolean', default: false } } });
  if (values.config === undefined) {
    process.stderr.write('check needs --config FILE (see docs/configuration.md)\n');
    return 2;
  }

  const report = await runCheck(values.config, env);
  output.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.errors === 0 ? 0 : 1;
}
