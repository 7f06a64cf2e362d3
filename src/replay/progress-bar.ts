import cliProgress from 'cli-progress';
import type { ReplayProgress } from './replayer.js';

export interface ProgressBar {
  update(progress: ReplayProgress): void;
  stop(): void;
}

/**
 * Start a one-line progress bar on stderr (cli-progress) that shows the
 * deliveries with a response of the total, the response rate since the
 * start, acknowledgements and errors.
 * cli-progress draws nothing when stderr is not a terminal.
 */
export function startProgressBar(total: number, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'replay |{bar}| {value}/{total} | {rate}/s | acked {acknowledged} | errors {errors} | eta {eta_formatted}',
      hideCursor: true,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  );
  const startedAt = Date.now();
  bar.start(total, 0, { rate: '0', acknowledged: 0, errors: 0 });

  return {
    update(progress) {
      const elapsedSeconds = Math.max(0.001, (Date.now() - startedAt) / 1000);
      const responded = progress.acknowledged + progress.errors;
      bar.update(responded, {
        rate: (responded / elapsedSeconds).toFixed(0),
        acknowledged: progress.acknowledged,
        errors: progress.errors,
      });
    },
    stop: () => bar.stop(),
  };
}
