import { randomBytes } from 'node:crypto';

/** Reason a bearer token was rejected. */
export type TokenProblem = 'missing' | 'unknown' | 'expired';

/**
 * Issues opaque access tokens and checks them. A token is valid for
 * `ttlSeconds` after it was issued, or until `expireAll` is called.
 */
export class TokenIssuer {
  private readonly expiresAt = new Map<string, number>();

  constructor(private readonly ttlSeconds: number) {}

  /** Issues a new token and returns it with its lifetime in seconds. */
  issue(): { accessToken: string; expiresIn: number } {
    const accessToken = `sim_${randomBytes(24).toString('base64url')}`;
    this.expiresAt.set(accessToken, Date.now() + this.ttlSeconds * 1000);
    return { accessToken, expiresIn: this.ttlSeconds };
  }

  /** Checks an `Authorization` header value. Returns null when the bearer token is valid. */
  check(authorization: string | undefined): TokenProblem | null {
    const match = /^Bearer (\S+)$/i.exec(authorization ?? '');
    if (!match) {
      return 'missing';
    }

    const expiresAt = this.expiresAt.get(match[1]!);
    if (expiresAt === undefined) {
      return 'unknown';
    }
    return Date.now() >= expiresAt ? 'expired' : null;
  }

  /** Makes every token issued so far expired. */
  expireAll(): void {
    for (const token of this.expiresAt.keys()) {
      this.expiresAt.set(token, 0);
    }
  }

  /** Tokens issued since the start or the last `clear`, for tests that search logs for them. */
  issued(): string[] {
    return [...this.expiresAt.keys()];
  }

  clear(): void {
    this.expiresAt.clear();
  }
}
