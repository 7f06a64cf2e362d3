import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identifiers } from '../support/harness.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

describe('release, board, sprint and worklog webhooks through the ingress', () => {
  let h: ServiceHarness;
  before(async () => {
    h = await startServiceHarness();
    h.jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    await h.settle();
  });
  after(() => h.close());

  it('versions follow Jira, merge included', async () => {
    const first = h.jira.state.createVersion({ projectKey: 'CAT', name: '1.0' });
    const second = h.jira.state.createVersion({ projectKey: 'CAT', name: '1.1' });
    h.jira.state.releaseVersion(second.id);
    h.jira.state.mergeVersion(first.id, second.id);
    await h.settle();

    assert.deepEqual(identifiers(h.port, 'jiraRelease'), [second.id]);
    assert.equal(h.port.state.entities('jiraRelease')[0]?.properties['released'], true);
  });

  it('only the active sprint stays', async () => {
    const board = h.jira.state.createBoard({ name: 'CAT board', type: 'scrum', projectKeys: ['CAT'] });
    const closed = String(h.jira.state.createSprint({ boardId: String(board.id), name: 'Sprint 1' }).id);
    h.jira.state.startSprint(closed);
    h.jira.state.closeSprint(closed);
    const active = String(h.jira.state.createSprint({ boardId: String(board.id), name: 'Sprint 2' }).id);
    h.jira.state.startSprint(active);
    h.jira.state.createSprint({ boardId: String(board.id), name: 'Sprint 3' });
    await h.settle();

    assert.deepEqual(identifiers(h.port, 'jiraBoard'), [String(board.id)]);
    assert.deepEqual(identifiers(h.port, 'jiraSprint'), [active]);
  });

  it('worklog refreshes the issue', async () => {
    const issue = h.jira.state.createIssue({ projectKey: 'CAT', summary: 'Log work here' });
    await h.settle();
    h.jira.state.addWorklog(issue.id, { timeSpentSeconds: 3600 });
    await h.settle();

    const written = h.port.state.entities('jiraIssue').find((entity) => entity.identifier === issue.key);
    assert.equal(written?.properties['updated'], h.jira.state.issues().find((current) => current.id === issue.id)?.fields.updated);
  });

  it('no delivery failed or was rejected', () => {
    const bad = h.results.filter((result) => ['failed', 'dead-lettered', 'rejected'].includes(result.outcome));
    assert.deepEqual(bad.map((result) => `${result.webhookEvent}: ${result.error ?? result.reason}`), []);
  });
});
