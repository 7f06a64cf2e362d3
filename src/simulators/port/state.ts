import { Catalog } from './catalog.js';
import { defaultBlueprints } from './default-blueprints.js';
import { FaultInjector } from './faults.js';
import { OrgRateLimit } from './rate-limit.js';
import { RequestCounter } from './request-counter.js';
import { TokenIssuer } from './tokens.js';
import type { Blueprint, EntityRejection, FaultSettings, RejectIdentifierRule, RequestCounts, StoredEntity } from './types.js';

/** Settings fixed for the life of one simulator. */
export interface StateSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenTtlSeconds: number;
  readonly latencyMs: number;
  readonly autoCreateBlueprints: boolean;
}

/**
 * The simulated Port organization: catalog, tokens, faults, rate limit,
 * request counts and identifier-rejection rules. Tests reach it in process
 * through `PortSimulator.state`, and the `/_sim/` admin API calls the same methods.
 */
export class PortSimulatorState {
  readonly catalog: Catalog;
  readonly tokens: TokenIssuer;
  readonly faults = new FaultInjector();
  readonly rateLimit = new OrgRateLimit();
  readonly counter = new RequestCounter();
  private rejectRules: ReadonlyArray<{ readonly rule: RejectIdentifierRule; readonly pattern: RegExp | null }> = [];

  constructor(readonly settings: StateSettings) {
    this.catalog = new Catalog(settings.autoCreateBlueprints);
    this.tokens = new TokenIssuer(settings.tokenTtlSeconds);
    this.reset();
  }

  /** Entities of one blueprint, or of all blueprints when none is given. */
  entities(blueprint?: string): StoredEntity[] {
    if (blueprint !== undefined) {
      return this.catalog.list(blueprint);
    }
    return Object.values(this.catalog.all()).flat();
  }

  /** Every entity keyed by blueprint, as `GET /_sim/entities` returns it. */
  allEntities(): Record<string, StoredEntity[]> {
    return this.catalog.all();
  }

  /** Adds or replaces blueprints. Existing entities are kept. */
  loadBlueprints(blueprints: readonly Blueprint[]): void {
    this.catalog.loadBlueprints(blueprints);
  }

  /** Replaces the fault settings as a whole, so `setFaults({})` clears them. Throws RangeError on invalid settings. */
  setFaults(settings: FaultSettings): void {
    const merged = { ...settings, latencyMs: settings.latencyMs ?? this.settings.latencyMs };
    this.faults.configure(merged);
    this.rateLimit.configure(settings.rateLimit);
  }

  requestCounts(): RequestCounts {
    return this.counter.snapshot();
  }

  resetRequestCounts(): void {
    this.counter.reset();
  }

  /** Replaces the identifier-rejection rules, so a call without rules clears them. Throws SyntaxError on an invalid pattern. */
  rejectIdentifiers(...rules: RejectIdentifierRule[]): void {
    this.rejectRules = rules.map((rule) => ({ rule, pattern: rule.pattern === undefined ? null : new RegExp(rule.pattern, 'u') }));
  }

  /** Returns the rejection of the first rule that matches, or null. */
  rejectionFor(blueprint: string, identifier: string): EntityRejection | null {
    const match = this.rejectRules.find(({ rule, pattern }) =>
      (rule.blueprint === undefined || rule.blueprint === blueprint)
      && ((rule.identifiers?.includes(identifier) ?? false) || (pattern?.test(identifier) ?? false)));
    if (!match) {
      return null;
    }
    const { rule } = match;
    return {
      statusCode: rule.statusCode ?? 422,
      error: rule.error ?? 'rejected_by_rule',
      message: rule.message ?? `identifier "${identifier}" is rejected by a simulator rule`,
    };
  }

  /** Makes every token issued so far expired, so the next call with one gets 401. */
  expireTokens(): void {
    this.tokens.expireAll();
  }

  /** Tokens issued so far, for tests that check logs never contain them. */
  issuedTokens(): string[] {
    return this.tokens.issued();
  }

  /**
   * Restores the start state: default blueprints, no entities, no faults,
   * no rejection rules, zero request counts. Issued tokens stay valid.
   */
  reset(): void {
    this.catalog.clear();
    this.catalog.loadBlueprints(defaultBlueprints());
    this.setFaults({});
    this.rejectRules = [];
    this.counter.reset();
  }
}
