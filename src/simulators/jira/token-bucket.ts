/**
 * A token bucket that refills continuously at `ratePerSecond` up to the
 * same capacity, the model of Jira Cloud's per-endpoint burst limit.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(readonly ratePerSecond: number, now: number) {
    this.tokens = ratePerSecond;
    this.refilledAt = now;
  }

  /** Takes one token if one is available. Returns whether it did. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whole tokens left after the last `take`. */
  remaining(): number {
    return Math.floor(this.tokens);
  }

  /** Milliseconds until one token is available again (0 when one is). */
  msUntilNextToken(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }

  private refill(now: number): void {
    const elapsedSeconds = Math.max(0, now - this.refilledAt) / 1000;
    this.tokens = Math.min(this.ratePerSecond, this.tokens + elapsedSeconds * this.ratePerSecond);
    this.refilledAt = now;
  }
}
