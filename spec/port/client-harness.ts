import { Writable } from 'node:stream';
import { createLogger } from '../../src/core/logger.js';
import type { Entity } from '../../src/mapping/types.js';
import { PortClient, type PortClientOptions, type PortRequestInfo } from '../../src/port/index.js';
import { startPortSimulator, type PortSimulator, type PortSimulatorOptions } from '../../src/simulators/port/index.js';

/** A Port simulator, a client pointed at it, and everything the client logged and reported. */
export interface ClientHarness {
  readonly simulator: PortSimulator;
  readonly client: PortClient;
  /** Raw log text, one pino JSON line per entry. */
  readonly logText: () => string;
  readonly logEntries: () => Array<Record<string, unknown>>;
  readonly requests: PortRequestInfo[];
}

/** Starts a simulator and a client with fast retries and debug logs captured in memory. Close `simulator` in `after`. */
export async function startClientHarness(
  simulatorOptions: PortSimulatorOptions = {},
  clientOptions: Partial<PortClientOptions> = {},
): Promise<ClientHarness> {
  const simulator = await startPortSimulator(simulatorOptions);
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const requests: PortRequestInfo[] = [];

  const client = new PortClient({
    baseUrl: simulator.url,
    clientId: simulator.clientId,
    clientSecret: simulator.clientSecret,
    retry: { limit: 3, baseDelayMs: 5, maxDelayMs: 50 },
    logger: createLogger({ level: 'debug', destination }),
    onRequest: (info) => requests.push(info),
    ...clientOptions,
  });

  const logText = () => chunks.join('');
  const logEntries = () => logText().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { simulator, client, logText, logEntries, requests };
}

/** Builds an entity of `blueprint` with a status property and optional extra fields. */
export function entity(blueprint: string, identifier: string, extra: Partial<Entity> = {}): Entity {
  return { identifier, blueprint, title: identifier, properties: { status: 'Open' }, relations: {}, ...extra };
}

export const UPSERT_FLAGS = { merge: true, createMissingRelatedEntities: true } as const;
