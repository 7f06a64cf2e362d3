/**
 * Bytes of request bodies that all requests together may hold while they
 * are read and stored. Signatures are checked only on complete bodies, so
 * without this bound unauthenticated senders could make the service hold
 * the body limit times the number of connections they open.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly maxBytes: number) {}

  /** Reserve `bytes`; false (and nothing reserved) when the budget would be exceeded. */
  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.maxBytes) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  inUse(): number {
    return this.used;
  }
}
