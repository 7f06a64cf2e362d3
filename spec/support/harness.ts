import { randomUUID } from 'node:crypto';
import { firstValueFrom, filter, type Observable } from 'rxjs';
import type { ProcessedResult } from '../../src/core/results.js';
import { createJiraPortStream, type JiraPortStream, type JiraPortStreamOptions, type PushedDelivery } from '../../src/embedded.js';
import { signBody } from '../../src/ingress/signature.js';
import type { PortAppConfig } from '../../src/mapping/types.js';
import type { PipelineTuning } from '../../src/pipeline/pipeline.js';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira/index.js';
import { startPortSimulator, type PortSimulator } from '../../src/simulators/port/index.js';

export const TEST_SECRET = 'test-webhook-secret';
export const JIRA_EMAIL = 'pipeline@example.com';
export const JIRA_TOKEN = 'test-jira-token';

/** Both simulators and an embedded stream wired to them over real HTTP on 127.0.0.1. */
export interface Harness {
  readonly jira: JiraSimulator;
  readonly port: PortSimulator;
  readonly stream: JiraPortStream;
  /** Every processed result so far, in emission order. */
  readonly results: ProcessedResult[];
  /** Push a signed delivery and wait for its processed result. */
  send(body: unknown, options?: { identifier?: string; secret?: string | null }): Promise<ProcessedResult>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly mapping?: PortAppConfig | { readonly yaml: string };
  readonly tuning?: Partial<PipelineTuning>;
  readonly stream?: Partial<JiraPortStreamOptions>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN } });
  const port = await startPortSimulator();
  const stream = await createJiraPortStream({
    jira: { baseUrl: jira.url, email: JIRA_EMAIL, apiToken: JIRA_TOKEN },
    port: { baseUrl: port.url, clientId: port.clientId, clientSecret: port.clientSecret },
    webhook: { secret: TEST_SECRET },
    tuning: { coalesceWindowMs: 0, portFlushMs: 5, mapBatchMs: 1, ...options.tuning },
    ...(options.mapping ? { mapping: options.mapping } : {}),
    ...options.stream,
  });
  const results: ProcessedResult[] = [];
  stream.results$.subscribe((result) => results.push(result));
  stream.start();

  return {
    jira,
    port,
    stream,
    results,
    async send(body, sendOptions = {}) {
      const delivery = signedDelivery(body, sendOptions.secret === undefined ? TEST_SECRET : sendOptions.secret, sendOptions.identifier);
      const pending = resultFor(stream.results$, delivery.headers?.['x-atlassian-webhook-identifier'] ?? '');
      await stream.push(delivery);
      return pending;
    },
    async close() {
      await stream.stop(5000);
      await jira.close();
      await port.close();
    },
  };
}

/** A delivery as Jira sends it, signed with `secret` (unsigned when null). */
export function signedDelivery(body: unknown, secret: string | null, identifier: string = randomUUID()): PushedDelivery & { headers: Record<string, string> } {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=UTF-8',
    'x-atlassian-webhook-identifier': identifier,
    'x-atlassian-webhook-flow': 'Primary',
  };
  if (secret !== null) headers['x-hub-signature'] = signBody(secret, text);
  return { body: Buffer.from(text), headers };
}

/** The processed result of one delivery id (subscribe before pushing). */
export function resultFor(results$: Observable<ProcessedResult>, deliveryId: string): Promise<ProcessedResult> {
  return firstValueFrom(results$.pipe(filter((result) => result.deliveryId === deliveryId)));
}

/** Identifiers of one blueprint's entities in the Port simulator, sorted. */
export function identifiers(port: PortSimulator, blueprint: string): string[] {
  return (port.state.allEntities()[blueprint] ?? []).map((entity) => entity.identifier).sort();
}
