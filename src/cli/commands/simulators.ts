import { parseArgs } from 'node:util';
import { createLogger } from '../../core/logger.js';
import { startJiraSimulator } from '../../simulators/jira/index.js';
import { startPortSimulator } from '../../simulators/port/index.js';
import { onShutdownSignals } from '../signals.js';

export const SIM_JIRA_USAGE =
  'sim-jira [--port N] [--email E --api-token T] [--webhook-url URL [--webhook-secret S]]\n' +
  '                             Run the Jira simulator alone on 127.0.0.1 (port 0: any free port).\n' +
  '                             With --email/--api-token it rejects other credentials; with\n' +
  '                             --webhook-url it sends signed webhooks there when its data changes.';

export const SIM_PORT_USAGE = 'sim-port [--port N]        Run the Port simulator alone on 127.0.0.1.';

/**
 * `sim-jira` and `sim-port`: run one simulator on 127.0.0.1 until SIGINT or
 * SIGTERM. Prints the URL, and for Port the client credentials it accepts.
 */
export async function runSimulator(command: 'sim-jira' | 'sim-port', args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: 'string', default: '0' },
      ...(command === 'sim-jira'
        ? { email: { type: 'string' }, 'api-token': { type: 'string' }, 'webhook-url': { type: 'string' }, 'webhook-secret': { type: 'string' } }
        : {}),
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be an integer from 0 to 65535, got "${String(values.port)}"\n`);
    return 2;
  }

  const logger = createLogger({ level: 'info' });
  if (command === 'sim-port') {
    const simulator = await startPortSimulator({ port });
    process.stdout.write(
      `Port simulator listening on ${simulator.url} (client id "${simulator.clientId}", client secret "${simulator.clientSecret}"; admin API under ${simulator.url}/_sim/, see docs/simulator-port.md)\n`,
    );
    await onShutdownSignals(logger, () => simulator.close());
    return 0;
  }

  const option = (name: string): string | undefined => {
    const value = (values as Record<string, unknown>)[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const email = option('email');
  const apiToken = option('api-token');
  if ((email === undefined) !== (apiToken === undefined)) {
    process.stderr.write('--email and --api-token go together: pass both to require basic auth, or neither to accept any credentials\n');
    return 2;
  }
  const webhookUrl = option('webhook-url');
  const webhookSecret = option('webhook-secret');
  const simulator = await startJiraSimulator({
    port,
    ...(email !== undefined && apiToken !== undefined ? { auth: { email, apiToken } } : {}),
    ...(webhookUrl !== undefined ? { webhook: { url: webhookUrl, ...(webhookSecret !== undefined ? { secret: webhookSecret } : {}) } } : {}),
  });
  const webhookNote = webhookUrl === undefined ? 'no webhook target: set one with --webhook-url or PUT /_sim/webhook' : `webhooks to ${webhookUrl}${webhookSecret === undefined ? ' (unsigned)' : ' (signed)'}`;
  const authNote = email === undefined ? 'accepts any credentials' : `accepts ${email} with the given API token`;
  process.stdout.write(`Jira simulator listening on ${simulator.url} (${authNote}; ${webhookNote}; admin API under ${simulator.url}/_sim/, see docs/simulator-jira.md)\n`);
  await onShutdownSignals(logger, () => simulator.close());
  return 0;
}
