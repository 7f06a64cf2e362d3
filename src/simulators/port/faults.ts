import type { FailNextRule, FaultSettings } from './types.js';

/** A response the fault settings force in place of normal handling. */
export interface InjectedFailure {
  readonly status: number;
  readonly error: string;
  readonly retryAfterSeconds?: number;
}

/** Error codes of the injected statuses, in the style of Port's error bodies. */
const ERROR_CODES: Readonly<Record<number, string>> = {
  401: 'unauthorized',
  404: 'not_found',
  408: 'request_timeout',
  413: 'request_too_large',
  422: 'invalid_request',
  429: 'too_many_requests',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

export function errorCodeForStatus(status: number): string {
  return ERROR_CODES[status] ?? `http_${status}`;
}

/** mulberry32: a small seedable PRNG, so a failure sequence repeats for one seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ArmedRule {
  readonly rule: FailNextRule;
  remaining: number;
}

/** Applies the fault settings: fixed latency, `failNext` rules and a seeded random error rate. */
export class FaultInjector {
  private settings: FaultSettings = {};
  private armed: ArmedRule[] = [];
  private random = seededRandom(1);

  /** Replaces the settings and restarts the `failNext` counts and the random sequence. */
  configure(settings: FaultSettings): void {
    validateFaults(settings);
    this.settings = settings;
    this.armed = (settings.failNext ?? []).map((rule) => ({ rule, remaining: rule.count ?? 1 }));
    this.random = seededRandom(settings.seed ?? 1);
  }

  current(): FaultSettings {
    return this.settings;
  }

  latencyMs(): number {
    return this.settings.latencyMs ?? 0;
  }

  /**
   * Returns the failure to send for this request, or null. The first armed
   * `failNext` rule that matches wins and uses up one of its count. The
   * random error rate applies only when no rule matched.
   */
  takeFailure(method: string, template: string, path: string): InjectedFailure | null {
    const armed = this.armed.find((entry) => entry.remaining > 0 && matches(entry.rule, method, template, path));
    if (armed) {
      armed.remaining -= 1;
      const { status, retryAfterSeconds } = armed.rule;
      return { status, error: armed.rule.error ?? errorCodeForStatus(status), ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
    }

    const rate = this.settings.randomErrorRate ?? 0;
    if (rate > 0 && this.random() < rate) {
      const status = this.settings.randomErrorStatus ?? 503;
      return { status, error: errorCodeForStatus(status) };
    }
    return null;
  }
}

function matches(rule: FailNextRule, method: string, template: string, path: string): boolean {
  const methodMatches = rule.method === undefined || rule.method.toUpperCase() === method;
  return methodMatches && (rule.path === template || rule.path === path);
}

/** Throws a RangeError that names the invalid setting. */
function validateFaults(settings: FaultSettings): void {
  const rate = settings.randomErrorRate;
  if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
    throw new RangeError(`randomErrorRate must be between 0 and 1, got ${rate}`);
  }
  if (settings.latencyMs !== undefined && !(settings.latencyMs >= 0)) {
    throw new RangeError(`latencyMs must be 0 or more, got ${settings.latencyMs}`);
  }
  for (const rule of settings.failNext ?? []) {
    if (!Number.isInteger(rule.status) || rule.status < 100 || rule.status > 599) {
      throw new RangeError(`failNext status must be an HTTP status code, got ${rule.status} for path ${rule.path}`);
    }
  }
  const rps = settings.rateLimit?.requestsPerSecond;
  if (rps !== undefined && !(Number.isInteger(rps) && rps > 0)) {
    throw new RangeError(`rateLimit.requestsPerSecond must be a positive integer, got ${rps}`);
  }
}
