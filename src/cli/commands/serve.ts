import { parseArgs } from 'node:util';
import { loadServiceConfig } from '../../config/service-config.js';
import { createLogger } from '../../core/logger.js';
import { startService } from '../../service/service.js';
import { onShutdownSignals } from '../signals.js';

/**
 * `serve --config FILE [--record FILE [--record-signatures]]`: run the
 * service until SIGTERM or SIGINT, optionally appending every accepted
 * delivery to an NDJSON recording.
 */
export async function serve(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      config: { type: 'string', short: 'c' },
      record: { type: 'string' },
      'record-signatures': { type: 'boolean', default: false },
    },
  });
  if (values.config === undefined) {
    process.stderr.write('serve needs --config FILE (see docs/configuration.md for an example)\n');
    return 2;
  }
  if (values['record-signatures'] && values.record === undefined) {
    process.stderr.write('--record-signatures needs --record FILE\n');
    return 2;
  }

  const config = loadServiceConfig(values.config);
  const logger = createLogger({ level: config.logging.level, pretty: config.logging.pretty });
  const record = values.record === undefined ? undefined : { path: values.record, signatures: values['record-signatures'] === true };
  const service = await startService(config, logger, record === undefined ? {} : { record });
  await onShutdownSignals(logger, () => service.close());
  return 0;
}
