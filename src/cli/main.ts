#!/usr/bin/env node
import { ConfigError } from '../config/service-config.js';
import { COMMANDS } from './commands/index.js';

function usage(): string {
  const lines = Object.values(COMMANDS).map((command) => `  ${command.usage}`);
  return `Usage: jira-port-stream <command> [options]

Commands:
${lines.join('\n')}

Secrets come from the environment: JIRA_API_TOKEN (or JIRA_BEARER_TOKEN),
PORT_CLIENT_SECRET, WEBHOOK_SECRET, FEED_TOKEN. See docs/configuration.md.
`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
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
