import type { ProcessedResult } from '../../src/core/results.js';
import { JiraClient } from '../../src/jira/client.js';
import type { JiraApi } from '../../src/jira/types.js';
import { createJiraPortStream, type JiraPortStream, type JiraPortStreamOptions } from '../../src/embedded.js';
import type { PipelineTuning } from '../../src/pipeline/pipeline.js';
import { startJiraSimulator, type JiraSimulator } from '../../src/simulators/jira/index.js';
import { startPortSimulator, type PortSimulator } from '../../src/simulators/port/index.js';
import { JIRA_EMAIL, JIRA_TOKEN, signedDelivery, TEST_SECRET } from '../support/harness.js';

/**
 * Both simulators and an embedded stream that is not started yet, so a test
 * can put a burst into the log first and count the requests it costs.
 */
export interface BurstHarness {
  readonly jira: JiraSimulator;
  readonly port: PortSimulator;
  readonly stream: JiraPortStream;
  readonly results: ProcessedResult[];
  /** Appends signed deliveries to the log. */
  push(...bodies: unknown[]): Promise<void>;
  /** Starts the pipeline if needed and waits until every delivery has its result. */
  settle(): Promise<void>;
  /** Returns the number of search requests the Jira simulator served. */
  searches(): number;
  /** Port requests to one endpoint template, all statuses. */
  portRequests(endpoint: string): number;
  close(): Promise<void>;
}

export const SEARCH = 'POST /rest/api/3/search/jql';
export const BULK_UPSERT = 'POST /v1/blueprints/{bp}/entities/bulk';

export interface BurstHarnessOptions {
  readonly tuning?: Partial<PipelineTuning>;
  readonly stream?: Partial<JiraPortStreamOptions>;
  /** Builds the stream's JiraApi around a JiraClient of the simulator, instead of the default batcher. */
  readonly jiraApi?: (client: JiraClient) => JiraApi;
}

export async function startBurstHarness(options: BurstHarnessOptions = {}): Promise<BurstHarness> {
  const jira = await startJiraSimulator({ auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN } });
  const port = await startPortSimulator();
  const settings = { baseUrl: jira.url, email: JIRA_EMAIL, apiToken: JIRA_TOKEN };
  const client = (): JiraClient => new JiraClient({ baseUrl: jira.url, auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN } });
  const stream = await createJiraPortStream({
    jira: options.jiraApi ? options.jiraApi(client()) : settings,
    port: { baseUrl: port.url, clientId: port.clientId, clientSecret: port.clientSecret },
    webhook: { secret: TEST_SECRET },
    tuning: { portFlushMs: 20, mapBatchMs: 1, ...options.tuning },
    ...options.stream,
  });
  const results: ProcessedResult[] = [];
  stream.results$.subscribe((result) => results.push(result));
  jira.state.load({ projects: [{ key: 'CAT', name: 'Catalog' }] });
  let started = false;

  return {
    jira,
    port,
    stream,
    results,
    async push(...bodies) {
      for (const body of bodies) await stream.push(signedDelivery(body, TEST_SECRET));
    },
    async settle() {
      if (!started) stream.start();
      started = true;
      await stream.settled(20_000);
    },
    searches: () => jira.state.requestCounts().byEndpoint[SEARCH] ?? 0,
    portRequests: (endpoint) => Object.values(port.state.requestCounts()[endpoint] ?? {}).reduce((sum, count) => sum + count, 0),
    async close() {
      await stream.stop(5000);
      await jira.close();
      await port.close();
    },
  };
}

/** Creates `count` issues in project CAT without webhooks and returns their ids. */
export function loadIssues(jira: JiraSimulator, count: number, labels: readonly string[] = []): string[] {
  const first = 20_000 + jira.state.issues().length;
  const issues = Array.from({ length: count }, (_, index) => ({ id: String(first + index), projectKey: 'CAT', summary: `Issue ${index}`, labels }));
  jira.state.load({ issues });
  return issues.map((issue) => issue.id);
}

/** Builds a `jira:issue_updated` or `jira:issue_deleted` body for the issue as Jira has it now. */
export function issueEvent(jira: JiraSimulator, issueId: string, webhookEvent = 'jira:issue_updated'): Record<string, unknown> {
  const issue = jira.state.issues().find((candidate) => candidate.id === issueId);
  if (issue === undefined) throw new Error(`issue ${issueId} is not in the Jira simulator; load it first`);
  return { webhookEvent, timestamp: Date.now(), issue: { id: issue.id, key: issue.key, fields: { summary: issue.fields['summary'] } } };
}
