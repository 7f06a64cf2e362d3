import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WEBHOOK_PATH } from '../../src/service/service.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';
import { identifiers, TEST_SECRET } from '../support/harness.js';

describe('issue move whose delivery was lost', () => {
  let h: ServiceHarness;
  before(async () => {
    h = await startServiceHarness();
    h.jira.state.createProject({ key: 'MVA', name: 'Before' });
    h.jira.state.createProject({ key: 'MVB', name: 'After' });
    h.jira.state.createIssue({ projectKey: 'MVA', summary: 'moving issue' });
    await h.settle();
  });
  after(() => h.close());

  it('next update removes the old key', async () => {
    h.jira.state.setWebhook(null);
    h.jira.state.moveIssue('MVA-1', 'MVB');
    h.jira.state.setWebhook({ url: `${h.service.url}${WEBHOOK_PATH}`, secret: TEST_SECRET });
    h.jira.state.updateIssue('MVB-1', { summary: 'moved issue, updated' });
    await h.settle();
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), ['MVB-1']);
  });
});
