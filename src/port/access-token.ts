/** A token response of `POST /v1/auth/access_token`. */
export interface AccessTokenGrant {
  readonly accessToken: string;
  /** Lifetime in seconds. */
  readonly expiresIn: number;
  readonly tokenType: string;
}

interface CachedToken {
  /** `Authorization` header value: `<tokenType> <accessToken>`. */
  readonly authorization: string;
  /** Epoch ms after which the token is replaced before use. */
  readonly refreshAt: number;
}

/** Refresh margin before expiry: 10 % of the lifetime, at most 60 s. */
const MAX_REFRESH_MARGIN_MS = 60_000;
const REFRESH_MARGIN_SHARE = 0.1;

/**
 * Caches Port's access token and replaces it ahead of expiry, so a request
 * does not reach Port with a token that expires on the way. Concurrent
 * callers share one token request. The token stays inside this object and
 * the `Authorization` headers built from it.
 */
export class AccessTokenCache {
  #token: CachedToken | null = null;
  #pending: Promise<CachedToken> | null = null;

  constructor(private readonly requestToken: () => Promise<AccessTokenGrant>) {}

  /** Returns a valid `Authorization` header value, requesting a token when none is cached or it is due for refresh. */
  async authorization(): Promise<string> {
    const token = this.#token;
    if (token && Date.now() < token.refreshAt) {
      return token.authorization;
    }
    return (await this.#refresh()).authorization;
  }

  /**
   * Drops the cached token after Port rejected `authorization` with 401.
   * A token that was already replaced by a concurrent caller is kept, so
   * several 401s in flight cost one token request.
   */
  invalidate(authorization: string): void {
    if (this.#token?.authorization === authorization) {
      this.#token = null;
    }
  }

  #refresh(): Promise<CachedToken> {
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #fetch(): Promise<CachedToken> {
    // The lifetime counts from before the request, because Port starts it when it issues the token.
    const requestedAt = Date.now();
    const grant = await this.requestToken();

    const lifetimeMs = grant.expiresIn * 1000;
    const marginMs = Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs * REFRESH_MARGIN_SHARE);
    const token = { authorization: `${grant.tokenType} ${grant.accessToken}`, refreshAt: requestedAt + lifetimeMs - marginMs };

    this.#token = token;
    return token;
  }
}
