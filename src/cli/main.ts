#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../mapping/default-mapping.js';
import { COMMANDS } from './commands/index.js';
import { describeCommandError } from './errors.js';

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
  if (name === '--version' || name === '-v') {
    const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`Usage: jira-port-stream ${command.usage}\n`);
    return 0;
  }

  try {
    return await command.run(rest);
  } catch (error) {
    const [text, exitCode] = describeCommandError(error, command.usage);
    process.stderr.write(`${text}\n`);
    return exitCode;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const [text, exitCode] = describeCommandError(error, undefined);
    process.stderr.write(`${text}\n`);
    process.exitCode = exitCode;
  },
);
