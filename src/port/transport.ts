import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import ky, { isTimeoutError, type KyInstance } from 'ky';
import type { Logger } from '../core/logger.js';
import { backoffDelayMs } from '../jira/backoff.js';
import type { AccessTokenCache } from './access-token.js';
import { PortRequestError } from './errors.js';
import type { PortLimiter } from './limiter.js';
import { serverWaitMs } from './wait-hints.js';

/** One finished HTTP attempt, as reported to `onRequest`. */
export interface PortRequestInfo {
  /** Method and path template, such as `POST /v1/blueprints/{bp}/entities/bulk`. */
  readonly endpoint: string;
  /** HTTP status, or `error` for a network error or timeout. */
  readonly status: number | 'error';
  readonly durationMs: number;
}

export interface RetrySettings {
  /** Maximum retries after the first attempt. */
  readonly limit: number;
  /** Backoff before the first retry, in ms, before jitter. */
  readonly baseDelayMs: number;
  /** Maximum backoff in ms. Server wait hints may ask for longer, up to `MAX_SERVER_WAIT_MS`. */
  readonly maxDelayMs: number;
}

export interface PortTransportSettings {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retry: RetrySettings;
  readonly userAgent: string;
  readonly limiter: PortLimiter;
  readonly logger: Logger;
  readonly onRequest?: (info: PortRequestInfo) => void;
}

/** One Port API call. */
export interface PortRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path template for logs, counts and errors, such as `/v1/blueprints/{bp}/entities`. */
  readonly template: string;
  /** Path with encoded parameters, such as `/v1/blueprints/jiraIssue/entities`. */
  readonly path: string;
  readonly searchParams?: Readonly<Record<string, string>>;
  /** JSON body, already serialized, so that batching can measure its size once. */
  readonly body?: string;
  /** Entity identifiers the call carries, for errors and logs. */
  readonly identifiers?: readonly string[];
  /** Whether the call needs a bearer token. True except for the token request. */
  readonly authenticated?: boolean;
}

/** The final response of a call: a status that is not retried, with the parsed JSON body. */
export interface PortResponse {
  readonly status: number;
  readonly body: unknown;
  /** Number of attempts made, the first one and a token-refresh repeat included. */
  readonly attempts: number;
}

type Attempt =
  | { readonly kind: 'response'; readonly status: number; readonly headers: Headers; readonly body: unknown; readonly authorization: string | undefined }
  | { readonly kind: 'error'; readonly code: 'timeout' | 'network_error'; readonly error: Error };

/**
 * Returns whether a status is retried: 408, 429 and every 5xx, on every
 * method. Port's writes are all POSTs and repeating an upsert or delete is
 * harmless, so POSTs are retried too.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Maximum server-requested wait in ms that is honoured, as in Ocean's Port client. Longer hints are cut to it. */
export const MAX_SERVER_WAIT_MS = 300_000;

/** Jitter multipliers of the backoff delay ("equal jitter"), so clients that failed together spread out. */
const BACKOFF_JITTER: readonly [number, number] = [0.5, 1];

/** The parts of AccessTokenCache that the transport uses. */
export type TokenSource = Pick<AccessTokenCache, 'authorization' | 'invalidate'>;

/**
 * The HTTP layer of the Port client: bearer token, shared limiter, retries
 * and `onRequest` reports around one `ky` instance. ky's own retry is off,
 * because every attempt has to pass through the limiter, and a 429 has to
 * pause the other calls too.
 */
export class PortTransport {
  readonly #http: KyInstance;
  readonly #settings: PortTransportSettings;
  #tokens: TokenSource | null = null;

  constructor(settings: PortTransportSettings) {
    this.#settings = settings;
    this.#http = ky.create({
      prefixUrl: settings.baseUrl,
      timeout: settings.timeoutMs,
      retry: { limit: 0 },
      throwHttpErrors: false,
      headers: { accept: 'application/json', 'user-agent': settings.userAgent },
    });
  }

  /** Sets the token source of authenticated calls. The token request itself goes through this transport. */
  useTokens(tokens: TokenSource): void {
    this.#tokens = tokens;
  }

  /**
   * Sends the call and returns the first response whose status is not
   * retried. A 401 refreshes the token and repeats the call once without
   * counting as a retry. Throws PortRequestError when the last retry still
   * failed with a retryable status, a network error or a timeout.
   */
  async send(request: PortRequest): Promise<PortResponse> {
    let retries = 0;
    let refreshedToken = false;
    for (let attempts = 1; ; attempts += 1) {
      const attempt = await this.#attempt(request);

      if (attempt.kind === 'response' && attempt.status === 401 && attempt.authorization && !refreshedToken) {
        refreshedToken = true;
        this.#tokens?.invalidate(attempt.authorization);
        this.#settings.logger.info({ endpoint: endpointOf(request) }, 'port rejected the access token, requesting a new one');
        continue;
      }
      if (attempt.kind === 'response' && !isRetryableStatus(attempt.status)) {
        return { status: attempt.status, body: attempt.body, attempts };
      }
      if (retries >= this.#settings.retry.limit) {
        throw exhaustedError(request, attempt, attempts);
      }

      retries += 1;
      await this.#waitBeforeRetry(request, attempt, retries);
    }
  }

  async #waitBeforeRetry(request: PortRequest, attempt: Attempt, retry: number): Promise<void> {
    const { retry: settings, limiter, logger } = this.#settings;
    const hintMs = attempt.kind === 'response' ? serverWaitMs(attempt.status, attempt.headers, Date.now()) : undefined;
    const delayMs = hintMs !== undefined
      ? Math.min(hintMs, MAX_SERVER_WAIT_MS)
      : backoffDelayMs(retry, { baseMs: settings.baseDelayMs, maxMs: settings.maxDelayMs, jitter: BACKOFF_JITTER });

    if (attempt.kind === 'response' && attempt.status === 429) {
      limiter.pause(delayMs);
    }

    logger.warn({
      endpoint: endpointOf(request),
      status: attempt.kind === 'response' ? attempt.status : attempt.code,
      retry,
      delayMs: Math.round(delayMs),
      entityCount: request.identifiers?.length ?? 0,
      identifiers: request.identifiers?.slice(0, 5),
    }, 'port request failed, retrying');
    await sleep(delayMs);
  }

  /** Makes one HTTP attempt inside a limiter slot and reports it to `onRequest`. */
  async #attempt(request: PortRequest): Promise<Attempt> {
    // The token is fetched before taking a slot, because the token request needs a slot of its own.
    const authorization = request.authenticated === false ? undefined : await this.#authorization();
    const release = await this.#settings.limiter.acquire();
    const started = performance.now();

    let attempt: Attempt;
    try {
      attempt = await this.#fetch(request, authorization);
    } finally {
      release();
    }

    const status = attempt.kind === 'response' ? attempt.status : 'error';
    this.#settings.onRequest?.({ endpoint: endpointOf(request), status, durationMs: performance.now() - started });
    return attempt;
  }

  async #authorization(): Promise<string> {
    if (!this.#tokens) {
      throw new Error('Internal error: PortTransport.useTokens was not called before an authenticated request.');
    }
    return this.#tokens.authorization();
  }

  async #fetch(request: PortRequest, authorization: string | undefined): Promise<Attempt> {
    const headers: Record<string, string> = {};
    if (authorization) {
      headers['authorization'] = authorization;
    }
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
    }

    try {
      const response = await this.#http(request.path.replace(/^\//, ''), {
        method: request.method,
        headers,
        ...(request.searchParams ? { searchParams: { ...request.searchParams } } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      const body = parseJson(await response.text());
      return { kind: 'response', status: response.status, headers: response.headers, body, authorization };
    } catch (error) {
      return networkFailure(error);
    }
  }
}

function endpointOf(request: PortRequest): string {
  return `${request.method} ${request.template}`;
}

function parseJson(text: string): unknown {
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Classifies a thrown error as a timeout or a network failure. Rethrows anything else, because that is a bug. */
function networkFailure(error: unknown): Attempt {
  if (isTimeoutError(error)) {
    return { kind: 'error', code: 'timeout', error };
  }
  // fetch rejects with a TypeError for connection failures (undici's "fetch failed").
  if (error instanceof TypeError) {
    return { kind: 'error', code: 'network_error', error };
  }
  throw error;
}

/** Reads Port's `{error, message}` body fields when present. */
export function portErrorFields(body: unknown): { code?: string; message?: string } {
  if (typeof body !== 'object' || body === null) {
    return {};
  }
  const { error, message } = body as { error?: unknown; message?: unknown };
  return {
    ...(typeof error === 'string' ? { code: error } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

function exhaustedError(request: PortRequest, attempt: Attempt, attempts: number): PortRequestError {
  const common = { endpoint: endpointOf(request), identifiers: request.identifiers ?? [], attempts };
  if (attempt.kind === 'error') {
    return new PortRequestError({ ...common, status: 0, code: attempt.code, portMessage: attempt.error.message }, { cause: attempt.error });
  }

  const fields = portErrorFields(attempt.body);
  return new PortRequestError({
    ...common,
    status: attempt.status,
    code: fields.code ?? `http_${attempt.status}`,
    ...(fields.message !== undefined ? { portMessage: fields.message } : {}),
  });
}
