import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signBody } from '../../src/ingress/signature.js';
import { identifiers, TEST_SECRET } from '../support/harness.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

describe('project trash and restore close together', () => {
  let h: ServiceHarness;
  before(async () => {
    h = await startServiceHarness({ tuning: { coalesceWindowMs: 300 } });
    h.jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    for (let i = 0; i < 5; i++) h.jira.state.createIssue({ projectKey: 'CAT', summary: `Issue ${i + 1}` });
    await h.settle();
  });
  after(() => h.close());

  it('trash then restore in one window keeps the issues', async () => {
    h.jira.state.softDeleteProject('CAT');
    h.jira.state.restoreProject('CAT');
    await h.settle();
    assert.ok(identifiers(h.port, 'jiraProject').includes('CAT'));
    assert.equal(identifiers(h.port, 'jiraIssue').length, 5);
  });

  it('a late trash delivery of a live project deletes nothing', async () => {
    const trashed = h.jira.state.sentWebhooks().find((sent) => sent.webhookEvent === 'project_soft_deleted');
    assert.ok(trashed, 'the simulator sent a project_soft_deleted webhook');

    h.jira.state.setWebhook(null);
    await h.service.stream.push({ body: JSON.stringify(trashed.body), headers: { 'x-hub-signature': signed(JSON.stringify(trashed.body)) } });
    await h.service.stream.settled();
    assert.ok(identifiers(h.port, 'jiraProject').includes('CAT'));
    assert.equal(identifiers(h.port, 'jiraIssue').length, 5);
  });
});

function signed(body: string): string {
  return signBody(TEST_SECRET, body);
}
