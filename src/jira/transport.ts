import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';

import ky, { isTimeoutError, type KyInstance } from 'ky';

import type { Logger } from '../core/logger.js';
import { JiraAuthError, JiraRequestError, type JiraRequestErrorDetails } from './errors.js';
import type { JiraRateLimiter } from './rate-limiter.js';

/**
 * The HTTP layer of the Jira client: authentication, the shared rate
 * limiter, retries and typed errors around one `ky` instance. ky's own retry
 * is off, because every attempt has to pass through the limiter and feed it
 * the response headers.
 */

/** Credentials: an API token with basic auth (Cloud), or a bearer token (OAuth 2.0 or a Data Center PAT). */
export type JiraAuth = { readonly email: string; readonly apiToken: string } | { readonly bearerToken: string };

/** One finished attempt, as reported to `onRequest`. */
export interface JiraRequestInfo {
  /** Method and path template, e.g. `POST /rest/api/3/search/jql`. */
  readonly endpoint: string;
  /** HTTP status, or `error` for a network error or timeout. */
  readonly status: number | 'error';
  readonly durationMs: number;
}

export interface JiraTransportOptions {
  /** Site URL such as `https://example.atlassian.net`, optionally with a path prefix. */
  readonly baseUrl: string;
  readonly auth: JiraAuth;
  readonly limiter: JiraRateLimiter;
  /** Per-attempt timeout in ms. */
  readonly timeoutMs: number;
  /** Maximum retries after the first attempt. */
  readonly retryLimit: number;
  readonly logger?: Logger;
  readonly onRequest?: (info: JiraRequestInfo) => void;
}

/** One REST call. `path` is relative to the base URL and has no leading slash. */
export interface JiraRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template for logs, metrics and errors, e.g. `/rest/api/3/issue/{issueIdOrKey}`. */
  readonly template: string;
  readonly path: string;
  readonly searchParams?: URLSearchParams;
  readonly json?: unknown;
  /**
   * Whether repeating the call is harmless. Defaults to true. A call that is
   * not idempotent is retried only on 408 and 429, which Jira sends before
   * doing any work.
   */
  readonly idempotent?: boolean;
}

type AttemptOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly text: string }
  | { readonly kind: 'error'; readonly error: unknown };

const RETRYABLE_BEFORE_WORK = new Set([408, 429]);

export class JiraTransport {
  readonly #http: KyInstance;
  readonly #options: JiraTransportOptions;

  constructor(options: JiraTransportOptions) {
    this.#options = options;
    this.#http = ky.create({
      prefixUrl: validateBaseUrl(options.baseUrl),
      timeout: options.timeoutMs,
      retry: { limit: 0 },
      throwHttpErrors: false,
      headers: { accept: 'application/json', authorization: authorizationHeader(options.auth) },
    });
  }

  /** Sends the request, retrying as described on JiraRequest, and returns the parsed JSON body. */
  async send<T>(request: JiraRequest): Promise<T> {
    const result = await this.#sendAllowing<T>(request, false);

    return result as T;
  }

  /** Like `send`, but returns null when Jira responds with 404. */
  async sendOrNull<T>(request: JiraRequest): Promise<T | null> {
    return this.#sendAllowing<T>(request, true);
  }

  async #sendAllowing<T>(request: JiraRequest, notFoundIsNull: boolean): Promise<T | null> {
    const endpoint = `${request.method} ${request.template}`;

    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.#attempt(request, endpoint);

      if (outcome.kind === 'response' && outcome.status < 300) {
        return parseBody<T>(outcome.text, request, attempt);
      }
      if (outcome.kind === 'response' && outcome.status === 404 && notFoundIsNull) {
        return null;
      }
      if (!isRetryable(outcome, request) || attempt > this.#options.retryLimit) {
        throw toRequestError(outcome, request, attempt);
      }

      this.#options.logger?.warn(
        { endpoint, status: outcome.kind === 'response' ? outcome.status : 'error', attempt, retryLimit: this.#options.retryLimit },
        'Jira request failed; retrying',
      );
      await this.#options.limiter.waitBeforeRetry(endpoint, attempt);
    }
  }

  /** Sends one attempt inside a limiter slot and reads the whole body before releasing the slot. */
  async #attempt(request: JiraRequest, endpoint: string): Promise<AttemptOutcome> {
    const release = await this.#options.limiter.acquire(endpoint);
    const startedAt = performance.now();

    try {
      const response = await this.#http(request.path, {
        method: request.method,
        ...(request.searchParams ? { searchParams: request.searchParams } : {}),
        ...(request.json === undefined ? {} : { json: request.json }),
      });
      this.#options.limiter.observe(endpoint, response.status, response.headers);
      const text = await response.text();
      this.#report(endpoint, response.status, startedAt);

      return { kind: 'response', status: response.status, text };
    } catch (error) {
      if (!isNetworkFailure(error)) {
        throw error;
      }
      this.#report(endpoint, 'error', startedAt);

      return { kind: 'error', error };
    } finally {
      release();
    }
  }

  #report(endpoint: string, status: number | 'error', startedAt: number): void {
    this.#options.onRequest?.({ endpoint, status, durationMs: performance.now() - startedAt });
  }
}

function isRetryable(outcome: AttemptOutcome, request: JiraRequest): boolean {
  const idempotent = request.idempotent ?? true;
  if (outcome.kind === 'error') {
    return idempotent;
  }
  if (RETRYABLE_BEFORE_WORK.has(outcome.status)) {
    return true;
  }

  return idempotent && outcome.status >= 500;
}

/** Timeouts (ky's TimeoutError) and connection failures (fetch's TypeError) are retryable. Any other error is a bug and propagates. */
function isNetworkFailure(error: unknown): boolean {
  return isTimeoutError(error) || error instanceof TypeError;
}

function toRequestError(outcome: AttemptOutcome, request: JiraRequest, attempts: number): JiraRequestError {
  if (outcome.kind === 'error') {
    return new JiraRequestError({ method: request.method, endpoint: request.template, attempts, cause: outcome.error });
  }

  const details: JiraRequestErrorDetails = {
    method: request.method,
    endpoint: request.template,
    status: outcome.status,
    attempts,
    ...readJiraErrorBody(outcome.text),
  };

  return outcome.status === 401 || outcome.status === 403 ? new JiraAuthError(details) : new JiraRequestError(details);
}

/** Reads Jira's error body `{ errorMessages: string[], errors: { field: message } }`. Other bodies yield no messages. */
function readJiraErrorBody(text: string): Pick<JiraRequestErrorDetails, 'errorMessages' | 'errors'> {
  const body = tryParseJson(text);
  if (typeof body !== 'object' || body === null) {
    return {};
  }

  const { errorMessages, errors } = body as { errorMessages?: unknown; errors?: unknown };
  const messages = Array.isArray(errorMessages) ? errorMessages.filter((item): item is string => typeof item === 'string') : [];
  const fieldErrors = typeof errors === 'object' && errors !== null
    ? Object.fromEntries(Object.entries(errors).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
    : {};

  return { errorMessages: messages, errors: fieldErrors };
}

function parseBody<T>(text: string, request: JiraRequest, attempts: number): T {
  if (text === '') {
    return undefined as T;
  }

  const body = tryParseJson(text);
  if (body === undefined) {
    throw new JiraRequestError(
      { method: request.method, endpoint: request.template, attempts },
      `Jira request ${request.method} ${request.template} returned a body that is not JSON; check that the base URL points at the Jira site.`,
    );
  }

  return body as T;
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function authorizationHeader(auth: JiraAuth): string {
  if ('bearerToken' in auth) {
    return `Bearer ${auth.bearerToken}`;
  }

  return `Basic ${Buffer.from(`${auth.email}:${auth.apiToken}`).toString('base64')}`;
}

function validateBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`Invalid Jira baseUrl ${JSON.stringify(baseUrl)}: expected an absolute http(s) URL such as https://example.atlassian.net.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Invalid Jira baseUrl ${JSON.stringify(baseUrl)}: expected an http or https URL.`);
  }

  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}
