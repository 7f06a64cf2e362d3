import { silentLogger, type Logger } from '../core/logger.js';
import type { Entity } from '../mapping/types.js';
import { AccessTokenCache, type AccessTokenGrant } from './access-token.js';
import { deleteEntitiesInBatches } from './delete.js';
import { PortAuthError, PortRequestError } from './errors.js';
import { PortLimiter } from './limiter.js';
import { PortTransport, portErrorFields, type PortRequestInfo } from './transport.js';
import type { BulkDeleteOutcome, BulkUpsertOutcome, PortApi, UpsertOptions } from './types.js';
import { upsertEntitiesInBatches } from './upsert.js';

export type { PortRequestInfo } from './transport.js';

export interface PortClientOptions {
  /** Port API host without `/v1`, such as `https://api.getport.io`. No default, so a test can never reach a real org by accident. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Timeout of each attempt in ms, waits between retries not included. Default 30000. */
  readonly timeoutMs?: number;
  readonly retry?: {
    /** Maximum retries after the first attempt. Default 6. */
    readonly limit?: number;
    /** Backoff before the first retry in ms, doubled per retry, with jitter. Default 300. */
    readonly baseDelayMs?: number;
    /** Maximum backoff in ms. Server wait hints may ask for longer, up to 300000. Default 30000. */
    readonly maxDelayMs?: number;
  };
  /** Maximum requests in flight for this client, which is one Port organization. Default 8. */
  readonly maxConcurrency?: number;
  /** `User-Agent` header. Default `jira-port-stream`. */
  readonly userAgent?: string;
  readonly logger?: Logger;
  /** Called after every HTTP attempt, retries and token requests included. */
  readonly onRequest?: (info: PortRequestInfo) => void;
}

const DEFAULTS = { timeoutMs: 30_000, retryLimit: 6, baseDelayMs: 300, maxDelayMs: 30_000, maxConcurrency: 8, userAgent: 'jira-port-stream' } as const;

function checkNonNegative(name: string, value: number, integer: boolean, minimum = 0): number {
  if (!Number.isFinite(value) || value < minimum || (integer && !Number.isInteger(value))) {
    throw new RangeError(`PortClient option ${name} must be ${integer ? 'an integer' : 'a number'} of at least ${minimum}, got ${value}`);
  }
  return value;
}

function checkBaseUrl(baseUrl: unknown): string {
  const parsed = typeof baseUrl === 'string' && URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new TypeError(`PortClient option baseUrl must be an absolute http(s) URL such as https://api.getport.io, got ${JSON.stringify(baseUrl)}`);
  }
  return parsed.href;
}

/**
 * Port API client for the pipeline's writes, built on ky. One instance is
 * one Port organization: it shares one access token, one concurrency bound
 * and one rate-limit pause across all calls. Failures of Port or the
 * network are returned per entity in `failed`. Only invalid arguments throw.
 */
export class PortClient implements PortApi {
  readonly #transport: PortTransport;
  readonly #logger: Logger;

  constructor(options: PortClientOptions) {
    const baseUrl = checkBaseUrl(options.baseUrl);
    if (!options.clientId || !options.clientSecret) {
      throw new TypeError('PortClient options clientId and clientSecret are required: pass the client credentials of the Port organization.');
    }

    this.#logger = (options.logger ?? silentLogger()).child({ component: 'port-client' });
    const limiter = new PortLimiter(checkNonNegative('maxConcurrency', options.maxConcurrency ?? DEFAULTS.maxConcurrency, true, 1));
    this.#transport = new PortTransport({
      baseUrl,
      timeoutMs: checkNonNegative('timeoutMs', options.timeoutMs ?? DEFAULTS.timeoutMs, false, 1),
      retry: {
        limit: checkNonNegative('retry.limit', options.retry?.limit ?? DEFAULTS.retryLimit, true),
        baseDelayMs: checkNonNegative('retry.baseDelayMs', options.retry?.baseDelayMs ?? DEFAULTS.baseDelayMs, false),
        maxDelayMs: checkNonNegative('retry.maxDelayMs', options.retry?.maxDelayMs ?? DEFAULTS.maxDelayMs, false),
      },
      userAgent: options.userAgent ?? DEFAULTS.userAgent,
      limiter,
      logger: this.#logger,
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    });

    const { clientId, clientSecret } = options;
    this.#transport.useTokens(new AccessTokenCache(() => this.#requestToken(clientId, clientSecret)));
  }

  /** Upserts entities of one blueprint with `upsert=true` and the given flags, as `upsertEntitiesInBatches` describes. */
  async upsertEntities(blueprint: string, entities: readonly Entity[], options: UpsertOptions): Promise<BulkUpsertOutcome> {
    checkBlueprint(blueprint);
    for (const entity of entities) {
      if (entity.blueprint !== blueprint) {
        throw new TypeError(`entity "${entity.identifier}" belongs to blueprint "${entity.blueprint}", not "${blueprint}"; group entities by blueprint before upserting`);
      }
    }
    if (entities.length === 0) {
      return { succeeded: [], failed: [] };
    }
    return upsertEntitiesInBatches(this.#transport, this.#logger, blueprint, entities, options);
  }

  /** Deletes entities of one blueprint, as `deleteEntitiesInBatches` describes. */
  async deleteEntities(blueprint: string, identifiers: readonly string[], options: { readonly deleteDependents: boolean }): Promise<BulkDeleteOutcome> {
    checkBlueprint(blueprint);
    if (identifiers.length === 0) {
      return { deleted: [], failed: [] };
    }
    return deleteEntitiesInBatches(this.#transport, this.#logger, blueprint, identifiers, options.deleteDependents);
  }

  /** Requests an access token. Throws PortAuthError when Port rejects the credentials or the request keeps failing. */
  async #requestToken(clientId: string, clientSecret: string): Promise<AccessTokenGrant> {
    const endpoint = 'POST /v1/auth/access_token';
    let response;
    try {
      response = await this.#transport.send({
        method: 'POST',
        template: '/v1/auth/access_token',
        path: '/v1/auth/access_token',
        body: JSON.stringify({ clientId, clientSecret }),
        authenticated: false,
      });
    } catch (error) {
      if (error instanceof PortRequestError) {
        throw new PortAuthError({ status: error.status, endpoint, code: error.code, attempts: error.attempts, ...(error.portMessage !== undefined ? { portMessage: error.portMessage } : {}) }, { cause: error });
      }
      throw error;
    }

    const grant = response.body as Partial<AccessTokenGrant> | undefined;
    if (response.status !== 200 || typeof grant?.accessToken !== 'string' || typeof grant.expiresIn !== 'number') {
      const fields = portErrorFields(response.body);
      throw new PortAuthError({ status: response.status, endpoint, code: fields.code ?? 'invalid_token_response', attempts: response.attempts, ...(fields.message !== undefined ? { portMessage: fields.message } : {}) });
    }

    this.#logger.info({ expiresInSeconds: grant.expiresIn }, 'port access token received');
    return { accessToken: grant.accessToken, expiresIn: grant.expiresIn, tokenType: grant.tokenType ?? 'Bearer' };
  }
}

function checkBlueprint(blueprint: string): void {
  if (typeof blueprint !== 'string' || blueprint === '') {
    throw new TypeError(`blueprint must be a non-empty string, got ${JSON.stringify(blueprint)}`);
  }
}
