import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JiraClient } from '../../src/jira/client.js';
import type { IssueQuery, JiraApi, JiraIssue, JiraProject, JiraUser } from '../../src/jira/types.js';
import { mappingWithIssueJql } from '../support/mapping-file.js';
import { BULK_UPSERT, issueEvent, loadIssues, startBurstHarness } from './burst-harness.js';

/** The real Jira client, holding each issue fetch until the test opens the gate. */
class GatedJira implements JiraApi {
  fetches = 0;
  private open: () => void = () => undefined;
  private readonly opened = new Promise<void>((resolve) => (this.open = resolve));
  private firstFetch: () => void = () => undefined;
  readonly fetching = new Promise<void>((resolve) => (this.firstFetch = resolve));

  constructor(private readonly client: JiraClient) {}

  async issuesById(ids: readonly string[], query: IssueQuery): Promise<JiraIssue[]> {
    this.fetches++;
    this.firstFetch();
    await this.opened;
    return this.client.issuesById(ids, query);
  }

  release(): void {
    this.open();
  }

  issuesOfProject(projectId: string, query: IssueQuery): Promise<JiraIssue[]> {
    return this.client.issuesOfProject(projectId, query);
  }

  project(idOrKey: string, expand?: string): Promise<JiraProject | null> {
    return this.client.project(idOrKey, expand);
  }

  user(accountId: string): Promise<JiraUser | null> {
    return this.client.user(accountId);
  }
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 500 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), 'condition not reached within 5 s');
}

describe('burst coalescing', () => {
  it('ten deliveries for one issue cost one search and one write', async (t) => {
    const h = await startBurstHarness({ tuning: { coalesceWindowMs: 200 } });
    t.after(() => h.close());
    const [id] = loadIssues(h.jira, 1);

    await h.push(...Array.from({ length: 10 }, () => issueEvent(h.jira, id ?? '')));
    await h.settle();

    assert.equal(h.searches(), 1);
    assert.equal(h.portRequests(BULK_UPSERT), 1);
    assert.deepEqual(h.results.map((result) => result.outcome), Array(10).fill('upserted'));
  });

  it('a delivery during a fetch causes one more fetch', async (t) => {
    let gated: GatedJira | undefined;
    const h = await startBurstHarness({ tuning: { coalesceWindowMs: 0 }, jiraApi: (client) => (gated = new GatedJira(client)) });
    t.after(() => h.close());
    const [id] = loadIssues(h.jira, 1);

    await h.push(issueEvent(h.jira, id ?? ''));
    const settled = h.settle();
    await gated?.fetching;
    await h.push(...Array.from({ length: 3 }, () => issueEvent(h.jira, id ?? '')));
    await waitUntil(() => h.stream.pipeline.inFlight() === 4);
    gated?.release();
    await settled;

    assert.equal(gated?.fetches, 2);
    assert.equal(h.searches(), 2);
    assert.deepEqual(h.results.map((result) => result.outcome), Array(4).fill('upserted'));
  });

  it('a deletion wins over pending fetches', async (t) => {
    const h = await startBurstHarness({ tuning: { coalesceWindowMs: 200 } });
    t.after(() => h.close());
    const [id] = loadIssues(h.jira, 1);
    const updated = issueEvent(h.jira, id ?? '');
    const deleted = issueEvent(h.jira, id ?? '', 'jira:issue_deleted');
    h.jira.state.deleteIssue(id ?? '');

    await h.push(updated, updated, deleted, updated);
    await h.settle();

    assert.equal(h.searches(), 0);
    assert.deepEqual(h.results.map((result) => result.outcome), Array(4).fill('deleted'));
  });

  it('updates of thirty issues share one search', async (t) => {
    const h = await startBurstHarness({ tuning: { coalesceWindowMs: 50 } });
    t.after(() => h.close());
    const ids = loadIssues(h.jira, 30);

    await h.push(...ids.map((id) => issueEvent(h.jira, id)));
    await h.settle();

    assert.equal(h.searches(), 1);
    assert.equal(h.port.state.entities('jiraIssue').length, 30);
  });

  it('ids missing from a batched answer are deleted', async (t) => {
    const h = await startBurstHarness({ tuning: { coalesceWindowMs: 50 }, stream: { mapping: { path: mappingWithIssueJql('labels = sync') } } });
    t.after(() => h.close());
    const [kept, deleted, leaving] = loadIssues(h.jira, 3, ['sync']);
    await h.push(...[kept, deleted, leaving].map((id) => issueEvent(h.jira, id ?? '')));
    await h.settle();
    const before = h.port.state.entities('jiraIssue').length;
    const events = [kept, deleted, leaving].map((id) => issueEvent(h.jira, id ?? ''));
    h.jira.state.deleteIssue(deleted ?? '');
    h.jira.state.updateIssue(leaving ?? '', { labels: [] });

    await h.push(...events);
    await h.settle();

    assert.equal(before, 3);
    assert.deepEqual(h.port.state.entities('jiraIssue').map((entity) => entity.identifier), [h.jira.state.issues().find((issue) => issue.id === kept)?.key]);
    assert.deepEqual(h.results.slice(3).map((result) => result.outcome), ['upserted', 'deleted', 'deleted']);
  });
});
