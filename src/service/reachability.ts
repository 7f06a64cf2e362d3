/** The last contact with Jira or Port, as seen by the service's requests. */
export interface ContactState {
  /** Epoch ms of the last response that shows the system is reachable and accepts the credentials. */
  readonly lastOkAt?: number;
  /** The last response or error that did not, such as `401 GET /rest/api/3/user` or `error POST /v1/auth/access_token`. */
  readonly lastFailure?: { readonly at: number; readonly description: string };
}

export type System = 'jira' | 'port';

/**
 * Records, for Jira and Port, when a request last succeeded and what last
 * failed. A response counts as a good contact unless it is a network error,
 * a 5xx, or a 401 or 403 (the credentials do not work). A 404 or 429 is a
 * good contact, because the system responded and accepted the credentials.
 */
export class Reachability {
  readonly #states = new Map<System, ContactState>();

  constructor(private readonly now: () => number = Date.now) {}

  record(system: System, response: { readonly endpoint: string; readonly status: number | 'error' }): void {
    const at = this.now();
    const current = this.#states.get(system) ?? {};
    if (isGoodContact(response.status)) {
      this.#states.set(system, { ...current, lastOkAt: at });
    } else {
      this.#states.set(system, { ...current, lastFailure: { at, description: `${response.status} ${response.endpoint}` } });
    }
  }

  state(system: System): ContactState {
    return this.#states.get(system) ?? {};
  }

  /** True when the last good contact is at most `maxAgeMs` old and no failure came after it. */
  reachable(system: System, maxAgeMs: number): boolean {
    const { lastOkAt, lastFailure } = this.state(system);
    if (lastOkAt === undefined || this.now() - lastOkAt > maxAgeMs) return false;
    return lastFailure === undefined || lastFailure.at <= lastOkAt;
  }
}

function isGoodContact(status: number | 'error'): boolean {
  return status !== 'error' && status < 500 && status !== 401 && status !== 403;
}
