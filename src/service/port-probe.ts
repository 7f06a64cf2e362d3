import ky, { HTTPError, type KyInstance } from 'ky';

/** A Port call of the probe failed; `status` is absent after a network error or timeout. */
export class PortProbeError extends Error {
  override readonly name = 'PortProbeError';

  constructor(
    readonly endpoint: string,
    readonly status: number | undefined,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface PortProbeSettings {
  /** Port API host without `/v1`, such as `https://api.getport.io`. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Timeout of each call in ms. Default 10000. */
  readonly timeoutMs?: number;
}

const TOKEN_ENDPOINT = 'POST /v1/auth/access_token';

/**
 * Single calls to Port that check reachability and credentials: a token
 * request and blueprint lookups. They are not retried, so that `check` and
 * `/readyz` respond quickly. The pipeline writes through `PortClient`.
 */
export class PortProbe {
  readonly #http: KyInstance;
  readonly #settings: PortProbeSettings;

  constructor(settings: PortProbeSettings) {
    this.#settings = settings;
    this.#http = ky.create({ prefixUrl: settings.baseUrl, timeout: settings.timeoutMs ?? 10_000, retry: { limit: 0 } });
  }

  /** Requests an access token with the client credentials. Throws PortProbeError when Port rejects them or cannot be reached. */
  async accessToken(): Promise<string> {
    const body = await this.#call(TOKEN_ENDPOINT, () => this.#http.post('v1/auth/access_token', {
      json: { clientId: this.#settings.clientId, clientSecret: this.#settings.clientSecret },
    }).json<{ accessToken?: unknown }>());

    if (typeof body.accessToken !== 'string') {
      throw new PortProbeError(TOKEN_ENDPOINT, 200, `Port's token response has no accessToken; check that port.baseUrl (${this.#settings.baseUrl}) is the Port API host`);
    }
    return body.accessToken;
  }

  /** Returns whether the blueprint exists (GET /v1/blueprints/{identifier}); false on 404. */
  async blueprintExists(accessToken: string, identifier: string): Promise<boolean> {
    const endpoint = 'GET /v1/blueprints/{identifier}';
    try {
      await this.#call(endpoint, () => this.#http.get(`v1/blueprints/${encodeURIComponent(identifier)}`, { headers: { authorization: `Bearer ${accessToken}` } }).json());
      return true;
    } catch (error) {
      if (error instanceof PortProbeError && error.status === 404) return false;
      throw error;
    }
  }

  async #call<T>(endpoint: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toProbeError(endpoint, error, this.#settings.baseUrl);
    }
  }
}

function toProbeError(endpoint: string, error: unknown, baseUrl: string): PortProbeError {
  if (error instanceof HTTPError) {
    const status = error.response.status;
    const hint = status === 401 || status === 422 ? ': Port rejected the client id or client secret' : '';
    return new PortProbeError(endpoint, status, `${endpoint} returned HTTP ${status}${hint}`, { cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new PortProbeError(endpoint, undefined, `${endpoint} to ${baseUrl} failed without a response (${reason})`, { cause: error });
}
