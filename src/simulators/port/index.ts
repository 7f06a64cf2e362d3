import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '../../core/logger.js';
import { createPortServer } from './server.js';
import { PortSimulatorState } from './state.js';

export { PortSimulatorState } from './state.js';
export type * from './types.js';

export interface PortSimulatorOptions {
  /** TCP port. 0, the default, picks a free one. */
  readonly port?: number;
  /** Interface to listen on, 127.0.0.1 by default. */
  readonly host?: string;
  /** Accepted client id, `sim-client-id` by default. */
  readonly clientId?: string;
  /** Accepted client secret, `sim-client-secret` by default. */
  readonly clientSecret?: string;
  /** Lifetime of issued access tokens in seconds, 3600 by default. */
  readonly tokenTtlSeconds?: number;
  /** Delay before every Port API response in milliseconds, 0 by default. `setFaults` can change it. */
  readonly latencyMs?: number;
  /** Create a permissive blueprint on the first write to an unknown one, instead of 404. On by default. */
  readonly autoCreateBlueprints?: boolean;
  /** Receives one error line per handler failure; silent by default. */
  readonly logger?: Logger;
}

export interface PortSimulator {
  /** Base URL without a trailing slash, such as `http://127.0.0.1:41234`. Port routes are under `/v1`. */
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly state: PortSimulatorState;
  /** Stops accepting connections, ends open ones and resolves when the server has closed. */
  close(): Promise<void>;
}

/** Starts a Port API simulator on loopback (see docs/simulator-port.md). */
export async function startPortSimulator(options: PortSimulatorOptions = {}): Promise<PortSimulator> {
  const settings = {
    clientId: options.clientId ?? 'sim-client-id',
    clientSecret: options.clientSecret ?? 'sim-client-secret',
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    latencyMs: options.latencyMs ?? 0,
    autoCreateBlueprints: options.autoCreateBlueprints ?? true,
  };
  if (!(settings.tokenTtlSeconds > 0)) {
    throw new RangeError(`tokenTtlSeconds must be above 0, got ${settings.tokenTtlSeconds}`);
  }

  const state = new PortSimulatorState(settings);
  const server = createPortServer(state, options.logger ?? silentLogger());
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });

  const { port } = server.address() as AddressInfo;
  const close = (): Promise<void> => new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${urlHost}:${port}`, clientId: settings.clientId, clientSecret: settings.clientSecret, state, close };
}
