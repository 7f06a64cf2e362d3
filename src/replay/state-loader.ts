import ky, { type KyInstance } from 'ky';
import type { JiraState } from '../simulators/jira/state.js';
import { SimulatorRequestError, StateMismatchError } from './errors.js';
import { adminRequestOf, applyOperation, type AdminRequest } from './operations.js';
import { finalStateDifferences, finalStateFrom, finalStateOf, type GeneratedState } from './state-file.js';

/** Time allowed for one `/_sim` request. */
const ADMIN_TIMEOUT_MS = 30_000;

/**
 * Put an in-process Jira simulator into the final state of a generated
 * stream: reset it, stop its webhooks (the replay sends the deliveries),
 * load `initial`, apply every operation, and check the result against
 * `final`. Throws `StateMismatchError` when the ids or keys differ, which
 * happens when the simulator was changed before or while loading.
 */
export function loadStateInto(state: JiraState, generated: GeneratedState): void {
  state.reset();
  state.setWebhook(null);
  state.load(generated.initial);
  for (const operation of generated.operations) applyOperation(state, operation);

  const differences = finalStateDifferences(generated.final, finalStateOf(state));
  if (differences.length > 0) throw new StateMismatchError(differences);
}

/**
 * Do what `loadStateInto` does to a Jira simulator that runs elsewhere,
 * through its `/_sim` admin API at `jiraUrl`: one request per operation.
 * Throws `SimulatorRequestError` when a request fails.
 */
export async function loadStateOverHttp(jiraUrl: string, generated: GeneratedState): Promise<void> {
  const admin = ky.create({ prefixUrl: jiraUrl, retry: 0, timeout: ADMIN_TIMEOUT_MS, throwHttpErrors: false });

  await send(admin, jiraUrl, { method: 'POST', path: '/_sim/reset' });
  await send(admin, jiraUrl, { method: 'PUT', path: '/_sim/webhook', body: null });
  await send(admin, jiraUrl, { method: 'POST', path: '/_sim/load', body: generated.initial });
  for (const operation of generated.operations) await send(admin, jiraUrl, adminRequestOf(operation));

  const objects = (await send(admin, jiraUrl, { method: 'GET', path: '/_sim/state' })) as Parameters<typeof finalStateFrom>[0];
  const differences = finalStateDifferences(generated.final, finalStateFrom(objects));
  if (differences.length > 0) throw new StateMismatchError(differences);
}

type AnyAdminRequest = AdminRequest | { readonly method: 'GET' | 'PUT'; readonly path: string; readonly body?: unknown };

/** Send one admin request and return its JSON body. Throws `SimulatorRequestError` on a non-2xx status or a network error. */
async function send(admin: KyInstance, baseUrl: string, request: AnyAdminRequest): Promise<unknown> {
  const url = `${baseUrl}${request.path}`;
  let response: Response;
  try {
    response = await admin(request.path.slice(1), { method: request.method, ...('body' in request ? { json: request.body } : {}) });
  } catch (error) {
    throw new SimulatorRequestError(url, undefined, error instanceof Error ? error.message : String(error));
  }

  const text = await response.text();
  if (!response.ok) throw new SimulatorRequestError(url, response.status, text.slice(0, 300));
  return text === '' ? undefined : JSON.parse(text);
}
