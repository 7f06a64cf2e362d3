import * as t from 'io-ts';
import { decodeOrThrow } from './decode.js';
import { InvalidInputError } from './errors.js';
import { seededRandom } from './random.js';
import { TokenBucket } from './token-bucket.js';

const FailNextEntry = t.intersection([
  t.type({ status: t.number, count: t.number }),
  t.partial({ method: t.string, path: t.string, retryAfterSeconds: t.number, headers: t.record(t.string, t.string) }),
]);

/** Fault settings. `setFaults` replaces all of them at once. */
export const JiraFaultsCodec = t.partial({
  latencyMs: t.number,
  indexLagMs: t.number,
  errorRate: t.number,
  /** Seed of the generator behind `errorRate`. The same seed repeats the same failures. Default 1. */
  seed: t.number,
  failNext: t.array(FailNextEntry),
  burstLimitPerSecond: t.number,
  quotaExhaustedForSeconds: t.number,
  gateway429WithoutRetryAfter: t.number,
  nearLimit: t.boolean,
});

export type JiraFaults = t.TypeOf<typeof JiraFaultsCodec>;

/** A response the fault injector sends in place of the real one. */
export interface InjectedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly message: string;
}

export interface FaultCheck {
  /** Set when the request must fail. The handler is not run. */
  readonly injected?: InjectedResponse;
  /** Rate-limit headers to add to whatever response the request gets. */
  readonly headers: Record<string, string>;
}

/** The `X-RateLimit-Limit` sent with quota 429s: the Tier-1 points quota per hour (65,000). */
const QUOTA_LIMIT_PER_HOUR = 65_000;

/** Random 5xx statuses `errorRate` draws from. */
const RANDOM_ERROR_STATUSES = [500, 502, 503, 504];

/**
 * Decides, request by request, which fault a REST call meets. Checks run in
 * this order: `failNext`, gateway 429s, quota exhaustion, burst limit, then
 * random 5xx. `nearLimit` adds `X-RateLimit-NearLimit: true` to every response.
 *
 * NOTE: Jira's per-issue write limit (`RateLimit-Reason: jira-per-issue-on-write`)
 * is not simulated, because the simulator serves no issue write endpoints.
 */
export class FaultInjector {
  private faults: JiraFaults = {};
  private failNext: Array<t.TypeOf<typeof FailNextEntry>> = [];
  private gatewayRemaining = 0;
  private quotaUntil = 0;
  private buckets = new Map<string, TokenBucket>();
  private random = seededRandom(1);

  constructor(initial: JiraFaults) {
    this.set(initial);
  }

  /** Replaces every fault. The quota window starts now, and token buckets start full. */
  set(input: unknown): JiraFaults {
    const faults = decodeOrThrow(JiraFaultsCodec, input, 'faults');
    if (faults.errorRate !== undefined && (faults.errorRate < 0 || faults.errorRate > 1)) {
      throw new InvalidInputError(`Invalid faults: "errorRate" must be between 0 and 1 (got ${faults.errorRate}).`);
    }
    this.faults = faults;
    this.failNext = (faults.failNext ?? []).map((entry) => ({ ...entry }));
    this.gatewayRemaining = faults.gateway429WithoutRetryAfter ?? 0;
    this.quotaUntil = Date.now() + (faults.quotaExhaustedForSeconds ?? 0) * 1000;
    this.buckets = new Map();
    this.random = seededRandom(faults.seed ?? 1);
    return faults;
  }

  current(): JiraFaults {
    return { ...this.faults, failNext: this.failNext.filter((entry) => entry.count > 0) };
  }

  latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  indexLagMs(): number {
    return this.faults.indexLagMs ?? 0;
  }

  /** Runs the checks for one request to `method` on `template` (such as `/rest/api/3/issue/{issueIdOrKey}`). */
  check(method: string, template: string, path: string, now: number): FaultCheck {
    const headers: Record<string, string> = this.faults.nearLimit ? { 'X-RateLimit-NearLimit': 'true' } : {};
    const injected =
      this.takeFailNext(method, template, path) ??
      this.takeGateway429(now) ??
      this.quota429(now) ??
      this.burst(method, template, now, headers) ??
      this.randomError();
    return injected === undefined ? { headers } : { injected: { ...injected, headers: { ...injected.headers, ...headers } }, headers };
  }

  private takeFailNext(method: string, template: string, path: string): InjectedResponse | undefined {
    const entry = this.failNext.find((candidate) =>
      candidate.count > 0 &&
      (candidate.method === undefined || candidate.method.toUpperCase() === method) &&
      (candidate.path === undefined || candidate.path === template || candidate.path === path));
    if (entry === undefined) return undefined;

    entry.count -= 1;
    const headers: Record<string, string> = { ...(entry.headers ?? {}) };
    if (entry.retryAfterSeconds !== undefined) headers['Retry-After'] = String(entry.retryAfterSeconds);
    return { status: entry.status, headers, message: `Failure injected by the simulator (status ${entry.status}).` };
  }

  /** Gateway 429s carry only `X-RateLimit-Reset`, one second ahead, and no `Retry-After`. */
  private takeGateway429(now: number): InjectedResponse | undefined {
    if (this.gatewayRemaining <= 0) return undefined;
    this.gatewayRemaining -= 1;
    return { status: 429, headers: { 'X-RateLimit-Reset': new Date(now + 1000).toISOString() }, message: 'Rate limit exceeded.' };
  }

  private quota429(now: number): InjectedResponse | undefined {
    if (now >= this.quotaUntil) return undefined;
    return {
      status: 429,
      headers: {
        'Retry-After': String(Math.ceil((this.quotaUntil - now) / 1000)),
        'X-RateLimit-Limit': String(QUOTA_LIMIT_PER_HOUR),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': new Date(this.quotaUntil).toISOString(),
        'RateLimit-Reason': 'jira-quota-tenant-based',
      },
      message: 'Rate limit exceeded: the tenant quota is used up until the reset time.',
    };
  }

  /**
   * Takes a token from the bucket of (method, template). Successful
   * responses get `X-RateLimit-Limit` and `-Remaining` (per second), and
   * `X-RateLimit-NearLimit` once less than 20% remains.
   */
  private burst(method: string, template: string, now: number, headers: Record<string, string>): InjectedResponse | undefined {
    const limit = this.faults.burstLimitPerSecond;
    if (limit === undefined || limit <= 0) return undefined;

    const bucketKey = `${method} ${template}`;
    const bucket = this.buckets.get(bucketKey) ?? new TokenBucket(limit, now);
    this.buckets.set(bucketKey, bucket);

    if (bucket.take(now)) {
      headers['X-RateLimit-Limit'] = String(limit);
      headers['X-RateLimit-Remaining'] = String(bucket.remaining());
      if (bucket.remaining() < limit * 0.2) headers['X-RateLimit-NearLimit'] = 'true';
      return undefined;
    }

    const waitMs = bucket.msUntilNextToken(now);
    return {
      status: 429,
      headers: {
        'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))),
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': new Date(now + waitMs).toISOString(),
        'RateLimit-Reason': 'jira-burst-based',
      },
      message: `Rate limit exceeded: more than ${limit} requests per second to ${bucketKey}.`,
    };
  }

  private randomError(): InjectedResponse | undefined {
    const rate = this.faults.errorRate ?? 0;
    if (rate <= 0 || this.random() >= rate) return undefined;
    const status = RANDOM_ERROR_STATUSES[Math.floor(this.random() * RANDOM_ERROR_STATUSES.length)] ?? 500;
    return { status, headers: {}, message: `Random server error injected by the simulator (errorRate ${rate}).` };
  }
}
