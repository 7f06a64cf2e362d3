import type { Logger } from '../core/logger.js';

/**
 * Resolve after the first SIGTERM or SIGINT once `shutdown` finished. A
 * second signal during shutdown exits at once with status 130. With the
 * SQLite event log, accepted deliveries are already on disk and are
 * processed on the next start.
 */
export function onShutdownSignals(logger: Logger, shutdown: () => Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const handle = (signal: NodeJS.Signals): void => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now; unfinished deliveries are processed on the next start');
        process.exit(130);
      }
      stopping = true;
      logger.info({ signal }, 'signal received: shutting down');
      shutdown().then(
        () => resolve(),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exitCode = 1;
          resolve();
        },
      );
    };
    process.on('SIGTERM', handle);
    process.on('SIGINT', handle);
  });
}
