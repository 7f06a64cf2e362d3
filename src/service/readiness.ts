import type { ReadinessSettings } from '../config/service-config.js';
import type { Logger } from '../core/logger.js';
import type { EventLog } from '../log/event-log.js';
import type { Reachability, System } from './reachability.js';

/** One condition of readiness. */
export interface ReadinessCheck {
  readonly name: 'eventLog' | 'backlog' | 'jira' | 'port' | 'accepting';
  readonly ok: boolean;
  readonly detail: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: readonly ReadinessCheck[];
}

export interface ReadinessOptions {
  readonly log: EventLog;
  readonly reachability: Reachability;
  readonly settings: ReadinessSettings;
  /** A cheap authenticated call per system; each must record its outcome in `reachability`. */
  readonly probes: Readonly<Record<System, () => Promise<void>>>;
  /** Maximum wait for a probe in ms. Default 5000. */
  readonly probeTimeoutMs?: number;
  /** Receives one line each time readiness changes, not one per check. */
  readonly logger?: Logger;
  readonly now?: () => number;
}

/**
 * Readiness for `GET /readyz`: the service accepts deliveries, the event log
 * is open and a read from it succeeds, the backlog (deliveries above the checkpoint)
 * is at most `maxBacklog`, and Jira and Port each gave a good response
 * within `maxContactAgeMs`. When the last contact is older, or failed, the
 * system is probed once; concurrent checks share one probe per system.
 * A change from ready to not ready is logged at warn with the failed
 * checks, and the way back at info.
 */
export class Readiness {
  readonly #options: ReadinessOptions;
  readonly #pendingProbes = new Map<System, Promise<void>>();
  #accepting = true;
  #lastReady: boolean | undefined;

  constructor(options: ReadinessOptions) {
    this.#options = options;
  }

  /** Marks the service as stopping: every later check reports not ready. */
  stopAccepting(): void {
    this.#accepting = false;
  }

  async check(): Promise<ReadinessReport> {
    const systems = await Promise.all((['jira', 'port'] as const).map((system) => this.#checkSystem(system)));
    const checks: ReadinessCheck[] = [
      { name: 'accepting', ok: this.#accepting, detail: this.#accepting ? 'accepting deliveries' : 'shutting down' },
      ...this.#checkLog(),
      ...systems,
    ];
    const ready = checks.every((check) => check.ok);
    this.#logChange(ready, checks);
    return { ready, checks };
  }

  #logChange(ready: boolean, checks: readonly ReadinessCheck[]): void {
    if (ready === this.#lastReady) return;
    const wasKnown = this.#lastReady !== undefined;
    this.#lastReady = ready;
    if (!ready) {
      this.#options.logger?.warn({ failed: checks.filter((check) => !check.ok) }, 'service not ready');
    } else if (wasKnown) {
      this.#options.logger?.info({}, 'service ready again');
    }
  }

  #checkLog(): ReadinessCheck[] {
    const { log, settings } = this.#options;
    let head: number;
    let checkpoint: number;
    try {
      head = log.headOffset();
      checkpoint = log.lastCheckpoint();
      log.readAfter(head, 1);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return [{ name: 'eventLog', ok: false, detail: `the event log cannot be read: ${reason}` }];
    }

    const backlog = Math.max(0, head - checkpoint);
    return [
      { name: 'eventLog', ok: true, detail: `open, head offset ${head}` },
      { name: 'backlog', ok: backlog <= settings.maxBacklog, detail: `${backlog} deliveries above the checkpoint (maximum ${settings.maxBacklog})` },
    ];
  }

  async #checkSystem(system: System): Promise<ReadinessCheck> {
    const { reachability, settings } = this.#options;
    if (!reachability.reachable(system, settings.maxContactAgeMs)) await this.#probe(system);

    const now = (this.#options.now ?? Date.now)();
    const state = reachability.state(system);
    if (reachability.reachable(system, settings.maxContactAgeMs)) {
      return { name: system, ok: true, detail: `last good response ${now - (state.lastOkAt ?? now)} ms ago` };
    }
    const failure = state.lastFailure === undefined ? 'no response yet' : `last failure: ${state.lastFailure.description}`;
    return { name: system, ok: false, detail: `no good response within ${settings.maxContactAgeMs} ms (${failure})` };
  }

  /** Runs the system's probe, or joins the one in flight, waiting at most `probeTimeoutMs`. Probe errors are recorded by the probe itself. */
  async #probe(system: System): Promise<void> {
    let probe = this.#pendingProbes.get(system);
    if (probe === undefined) {
      probe = this.#options.probes[system]().catch(() => undefined).finally(() => this.#pendingProbes.delete(system));
      this.#pendingProbes.set(system, probe);
    }

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#options.probeTimeoutMs ?? 5000);
    });
    await Promise.race([probe, timeout]);
    clearTimeout(timer);
  }
}
