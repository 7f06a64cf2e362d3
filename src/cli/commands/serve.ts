import { parseArgs } from 'node:util';
import { loadServiceConfig } from '../../config/service-config.js';
import { createLogger } from '../../core/logger.js';
import { startService } from '../../service/service.js';
import { onShutdownSignals } from '../signals.js';

/** `serve --config FILE`: run the service until SIGTERM or SIGINT. */
export async function serve(args: readonly string[]): Promise<number> {
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
