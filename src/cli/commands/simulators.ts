import { parseArgs } from 'node:util';
import { createLogger } from '../../core/logger.js';
import { startJiraSimulator } from '../../simulators/jira/index.js';
import { startPortSimulator } from '../../simulators/port/index.js';
import { onShutdownSignals } from '../signals.js';

/**
 * `sim-jira` and `sim-port`: run one simulator on 127.0.0.1 until SIGINT or
 * SIGTERM. Prints the URL (and for Port the client credentials it accepts).
 */
export async function runSimulator(command: 'sim-jira' | 'sim-port', args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { port: { type: 'string', default: '0' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be an integer from 0 to 65535, got "${values.port}"\n`);
    return 2;
  }

  const logger = createLogger({ level: 'info' });
  if (command === 'sim-jira') {
    const simulator = await startJiraSimulator({ port });
    process.stdout.write(`Jira simulator listening on ${simulator.url} (admin API under ${simulator.url}/_sim/, see docs/simulator-jira.md)\n`);
    await onShutdownSignals(logger, () => simulator.close());
    return 0;
  }

  const simulator = await startPortSimulator({ port });
  process.stdout.write(
    `Port simulator listening on ${simulator.url} (client id "${simulator.clientId}", client secret "${simulator.clientSecret}"; admin API under ${simulator.url}/_sim/, see docs/simulator-port.md)\n`,
  );
  await onShutdownSignals(logger, () => simulator.close());
  return 0;
}
