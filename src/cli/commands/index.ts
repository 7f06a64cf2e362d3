import { parseArgs } from 'node:util';
import { check } from './check.js';
import { DEAD_LETTERS_USAGE, runDeadLetters } from './dead-letters.js';
import { runDemo } from './demo.js';
import { EXPORT_USAGE, runExport } from './export.js';
import { REPLAY_USAGE, runReplay } from './replay.js';
import { serve } from './serve.js';
import { runSimulator, SIM_JIRA_USAGE, SIM_PORT_USAGE } from './simulators.js';

/** A CLI command: its usage lines and what it runs; returns the exit code. */
export interface Command {
  readonly usage: string;
  run(args: readonly string[]): Promise<number>;
}

/**
 * Every subcommand, in the order `--help` lists them. A new command is one
 * file in this folder plus one entry here.
 */
export const COMMANDS: Readonly<Record<string, Command>> = {
  serve: {
    usage: 'serve --config FILE        Run the HTTP ingress, the pipeline and the result feed\n                             against the Jira site and Port org named in FILE.\n                             --record FILE appends accepted deliveries to an NDJSON\n                             recording, signatures redacted unless --record-signatures.',
    run: serve,
  },
  check: {
    usage: 'check --config FILE [--json]\n                             Check FILE, the mapping\'s JQ, Jira (credentials, every\n                             JQL, the webhook) and Port (token, blueprints), print a\n                             report, and exit 1 when any check is an error.',
    run: (args) => check(args),
  },
  export: {
    usage: EXPORT_USAGE,
    run: (args) => runExport(args),
  },
  replay: {
    usage: REPLAY_USAGE,
    run: (args) => runReplay(args),
  },
  'dead-letters': {
    usage: DEAD_LETTERS_USAGE,
    run: (args) => runDeadLetters(args),
  },
  demo: {
    usage: 'demo [--keep-running]      Start the Jira and Port simulators and the service on\n                             free loopback ports, send the bundled sample deliveries,\n                             print what happened and the final Port entities.',
    run: (args) => {
      const { values } = parseArgs({ args: [...args], options: { 'keep-running': { type: 'boolean', default: false } } });
      return runDemo({ keepRunning: values['keep-running'] === true });
    },
  },
  'sim-jira': {
    usage: SIM_JIRA_USAGE,
    run: (args) => runSimulator('sim-jira', args),
  },
  'sim-port': {
    usage: SIM_PORT_USAGE,
    run: (args) => runSimulator('sim-port', args),
  },
};
