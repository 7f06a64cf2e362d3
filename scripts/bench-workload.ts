import { randomUUID } from 'node:crypto';
import { signBody } from '../src/ingress/signature.js';
import type { JiraIssue } from '../src/jira/types.js';
import { SIMULATOR_ACTOR_ACCOUNT_ID, type JiraSeedData, type JiraState } from '../src/simulators/jira/index.js';
import { seededRandom } from '../src/simulators/jira/random.js';

/**
 * The benchmark's workload: a burst of issue webhooks over a fixed set of
 * issues, generated from a seed so that every run and mode sees the same
 * stream. Changes are applied to the Jira simulator one by one while the
 * deliveries go out, and each delivery is sent a random while after its
 * change (a window of pending deliveries is drawn from at random), so the
 * deliveries arrive shuffled and some of them after later changes to the
 * same issue, as when a bulk edit or an automation rule fires and Jira's
 * webhooks overtake each other.
 */

export interface WorkloadOptions {
  /** Deliveries sent, duplicates included. */
  readonly deliveries: number;
  readonly issues: number;
  readonly projects: number;
  /** Share of deliveries that are `jira:issue_deleted`. */
  readonly deleteShare: number;
  /** Share of deliveries that repeat an earlier delivery with the same identifier, as Jira's retries do. */
  readonly duplicateShare: number;
  /** Exponent of the Zipf popularity of issues: 1 gives the top 20 % of issues about 80 % of the updates. */
  readonly zipfExponent: number;
  /** Pending deliveries the next one is drawn from: how far the send order strays from the change order. */
  readonly shuffleWindow: number;
  readonly seed: number;
}

export const STANDARD_WORKLOAD: WorkloadOptions = {
  deliveries: 20_000,
  issues: 2_000,
  projects: 20,
  deleteShare: 0.05,
  duplicateShare: 0.03,
  zipfExponent: 1,
  shuffleWindow: 1_000,
  seed: 42,
};

/** One delivery ready to send: the raw body and the headers Jira sends with it. */
export interface PlannedDelivery {
  readonly identifier: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  readonly issueId: string;
  readonly duplicate: boolean;
}

/** One change to Jira, in the order Jira makes them. */
export type PlannedChange = { readonly kind: 'update'; readonly issueId: string } | { readonly kind: 'delete'; readonly issueId: string };

export interface WorkloadPlan {
  readonly changes: readonly PlannedChange[];
  /** Deliveries sent in all, duplicates included. */
  readonly deliveries: number;
  /** Jira ids of the issues the deliveries are about; only these can reach Port. */
  readonly touchedIssueIds: ReadonlySet<string>;
  readonly updates: number;
  readonly deletes: number;
  readonly duplicates: number;
}

const STATUSES = ['To Do', 'In Progress', 'In Review'];
const FIRST_ISSUE_ID = 10_000;

/** The projects and issues the workload starts from, for `JiraState.load` (which sends no webhooks). */
export function seedData(options: WorkloadOptions): JiraSeedData {
  const projects = Array.from({ length: options.projects }, (_, index) => ({ key: projectKey(index), name: `Bench project ${index + 1}` }));
  const issues = Array.from({ length: options.issues }, (_, index) => ({
    id: String(FIRST_ISSUE_ID + index),
    projectKey: projectKey(index % options.projects),
    summary: initialSummary(index),
    status: 'To Do',
    labels: ['bench'],
  }));
  return { projects, issues };
}

/** Draws the changes: updates by Zipf popularity among live issues, deletes of live issues drawn uniformly. */
export function planWorkload(options: WorkloadOptions): WorkloadPlan {
  const random = seededRandom(options.seed);
  const duplicates = Math.round(options.deliveries * options.duplicateShare);
  const changeCount = options.deliveries - duplicates;
  const deleteTarget = Math.round(options.deliveries * options.deleteShare);
  const picker = new IssuePicker(options, random);

  const changes: PlannedChange[] = [];
  let deletes = 0;
  for (let change = 0; change < changeCount; change++) {
    const deleting = deletes < deleteTarget && picker.liveCount() > 1 && random() < deleteTarget / changeCount;
    const issueId = deleting ? picker.anyLive() : picker.popular();
    changes.push({ kind: deleting ? 'delete' : 'update', issueId });
    if (deleting) {
      picker.remove(issueId);
      deletes++;
    }
  }

  return {
    changes,
    deliveries: options.deliveries,
    touchedIssueIds: new Set(changes.map((change) => change.issueId)),
    updates: changeCount - deletes,
    deletes,
    duplicates,
  };
}

/**
 * Returns a source of deliveries in send order: each call applies changes to
 * Jira until `shuffleWindow` deliveries are pending (or the plan is done),
 * then takes one pending delivery at random. After a delivery is taken, a
 * copy with the same identifier is put back with the odds that give the
 * plan's number of duplicates. Returns undefined when every delivery was taken.
 */
export function deliverySource(jira: JiraState, plan: WorkloadPlan, options: WorkloadOptions, secret: string): () => PlannedDelivery | undefined {
  const random = seededRandom(options.seed + 1);
  const summaries = new Map((seedData(options).issues ?? []).map((issue) => [issue.id as string, issue.summary]));
  const pending: PlannedDelivery[] = [];
  const duplicateOdds = plan.duplicates / Math.max(1, plan.changes.length);
  let nextChange = 0;
  let originalsLeft = plan.changes.length;
  let duplicatesLeft = plan.duplicates;

  return () => {
    while (pending.length < options.shuffleWindow && nextChange < plan.changes.length) {
      const change = plan.changes[nextChange] as PlannedChange;
      const body = change.kind === 'delete' ? deleteBody(jira.deleteIssue(change.issueId)) : updateBody(jira, change.issueId, nextChange, summaries, random);
      pending.push(signedDelivery(randomUUID(), change.issueId, body, secret));
      nextChange++;
    }
    if (pending.length === 0) return undefined;

    const index = Math.floor(random() * pending.length);
    const taken = pending[index] as PlannedDelivery;
    pending[index] = pending[pending.length - 1] as PlannedDelivery;
    pending.pop();
    if (taken.duplicate) return taken;

    // Each original may get one duplicate; the last originals all get one if duplicates are still owed.
    originalsLeft--;
    if (duplicatesLeft > 0 && (random() < duplicateOdds || duplicatesLeft > originalsLeft)) {
      duplicatesLeft--;
      pending.push({ ...taken, duplicate: true, headers: { ...taken.headers, 'x-atlassian-webhook-retry': '1' } });
    }
    return taken;
  };
}

/** Picks issues by Zipf popularity among the issues not deleted yet. */
class IssuePicker {
  private readonly ids: string[];
  private readonly cumulative: number[];
  private readonly live = new Set<string>();

  constructor(options: WorkloadOptions, private readonly random: () => number) {
    // Rank r gets weight 1 / r^s; ranks are dealt to issues at random so popularity spans projects.
    this.ids = shuffle(Array.from({ length: options.issues }, (_, index) => String(FIRST_ISSUE_ID + index)), random);
    let total = 0;
    this.cumulative = this.ids.map((_, rank) => (total += 1 / (rank + 1) ** options.zipfExponent));
    for (const id of this.ids) this.live.add(id);
  }

  liveCount(): number {
    return this.live.size;
  }

  /** A live issue drawn by popularity; drawing again when the draw hit a deleted issue. */
  popular(): string {
    const total = this.cumulative[this.cumulative.length - 1] ?? 0;
    for (;;) {
      const id = this.ids[lowerBound(this.cumulative, this.random() * total)] as string;
      if (this.live.has(id)) return id;
    }
  }

  /** A live issue drawn uniformly, so that deletes do not empty the popular head. */
  anyLive(): string {
    for (;;) {
      const id = this.ids[Math.floor(this.random() * this.ids.length)] as string;
      if (this.live.has(id)) return id;
    }
  }

  remove(id: string): void {
    this.live.delete(id);
  }
}

/** Changes the issue's summary and status in Jira and returns the `jira:issue_updated` body; `summaries` tracks each issue's current summary. */
function updateBody(jira: JiraState, issueId: string, change: number, summaries: Map<string, string>, random: () => number): Record<string, unknown> {
  const status = STATUSES[Math.floor(random() * STATUSES.length)] as string;
  const summary = `Bench issue ${issueId} change ${change}`;
  const previous = summaries.get(issueId) ?? null;
  summaries.set(issueId, summary);
  const issue = jira.updateIssue(issueId, { summary, status });
  return {
    timestamp: Date.now(),
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: { accountId: SIMULATOR_ACTOR_ACCOUNT_ID },
    issue,
    changelog: {
      id: String(100_000 + change),
      items: [{ field: 'summary', fieldtype: 'jira', fieldId: 'summary', from: null, fromString: previous, to: null, toString: summary }],
    },
  };
}

function deleteBody(issue: JiraIssue): Record<string, unknown> {
  return {
    timestamp: Date.now(),
    webhookEvent: 'jira:issue_deleted',
    issue_event_type_name: 'issue_deleted',
    user: { accountId: SIMULATOR_ACTOR_ACCOUNT_ID },
    issue,
  };
}

function signedDelivery(identifier: string, issueId: string, body: Record<string, unknown>, secret: string): PlannedDelivery {
  const text = JSON.stringify(body);
  return {
    identifier,
    issueId,
    duplicate: false,
    body: Buffer.from(text),
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'user-agent': 'Atlassian Webhook HTTP Client',
      'x-atlassian-webhook-identifier': identifier,
      'x-atlassian-webhook-flow': 'Primary',
      'x-hub-signature': signBody(secret, text),
    },
  };
}

function shuffle<T>(values: T[], random: () => number): T[] {
  for (let index = values.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [values[index], values[other]] = [values[other] as T, values[index] as T];
  }
  return values;
}

/** Index of the first element of the ascending `sorted` that is at least `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function initialSummary(index: number): string {
  return `Bench issue ${index + 1}`;
}

function projectKey(index: number): string {
  return `B${String.fromCharCode(65 + Math.floor(index / 26))}${String.fromCharCode(65 + (index % 26))}`;
}
