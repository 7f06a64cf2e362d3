#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadServiceConfig } from '../config/service-config.js';
import { createLogger } from '../core/logger.js';
import { startService } from '../service/service.js';
import { runDemo } from './demo.js';
import { runSimulator } from './simulators.js';
import { onShutdownSignals } from './signals.js';

const USAGE = `Usage: jira-port-stream <command> [options]

Commands:
  serve --config FILE        Run the HTTP ingress, the pipeline and the result feed
                             against the Jira site and Port org named in FILE.
  demo [--keep-running]      Start the Jira and Port simulators and the service on
                             free loopback ports, send the bundled sample deliveries,
                             print what happened and the final Port entities.
  sim-jira [--port N]        Run the Jira simulator alone (default port 0: any free port).
  sim-port [--port N]        Run the Port simulator alone.

Secrets come from the environment: JIRA_API_TOKEN (or JIRA_BEARER_TOKEN),
PORT_CLIENT_SECRET, WEBHOOK_SECRET, FEED_TOKEN. See docs/configuration.md.
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'demo': {
      const { values } = parseArgs({ args: [...rest], options: { 'keep-running': { type: 'boolean', default: false } } });
      return runDemo({ keepRunning: values['keep-running'] === true });
    }
    case 'sim-jira':
    case 'sim-port':
      return runSimulator(command, rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

async function serve(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { config: { type: 'string', short: 'c' } } });
  if (values.config === undefined) {
    process.stderr.write('serve needs --config FILE (see docs/configuration.md for an example)\n');
    return 2;
  }

  const config = loadServiceConfig(values.config);
  const logger = createLogger({ level: config.logging.level, pretty: config.logging.pretty });
  const service = await startService(config, logger);
  await onShutdownSignals(logger, () => service.close());
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`jira-port-stream: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
