import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

describe('project restore under search-index lag', () => {
  let h: ServiceHarness;
  before(async () => {
    h = await startServiceHarness();
    h.jira.state.createProject({ key: 'STL', name: 'Stale' });
    h.jira.state.createIssue({ projectKey: 'STL', summary: 'old summary' });
    await h.settle();
  });
  after(() => h.close());

  it('backfill writes the current state', async () => {
    // The index must already hold the issue, in its old state, when the restore searches it.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    h.jira.state.setFaults({ indexLagMs: 1000 });
    h.jira.state.updateIssue('STL-1', { summary: 'new summary' });
    await h.settle();
    h.jira.state.softDeleteProject('STL');
    await h.settle();
    h.jira.state.restoreProject('STL');
    await h.settle();
    h.jira.state.setFaults({});

    const titles = h.port.state.entities('jiraIssue').map((entity) => `${entity.identifier}:${String(entity.title)}`);
    assert.deepEqual(titles, ['STL-1:new summary']);
  });
});
