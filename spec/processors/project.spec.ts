import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identifiers, startHarness, type Harness } from '../support/harness.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';
import { fixture, payload } from './fixtures.js';

describe('project processor', () => {
  let h: ServiceHarness;
  before(async () => {
    h = await startServiceHarness();
    h.jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    h.jira.state.createProject({ key: 'OPS', name: 'Operations' });
    for (let i = 0; i < 30; i++) h.jira.state.createIssue({ projectKey: 'CAT', summary: `Catalog issue ${i + 1}` });
    h.jira.state.createIssue({ projectKey: 'OPS', summary: 'Operations issue' });
    await h.settle();
  });
  after(() => h.close());

  it('created project is upserted with the expanded insight', async () => {
    const project = h.port.state.entities('jiraProject').find((entity) => entity.identifier === 'CAT');
    assert.equal(project?.title, 'Catalog');
    assert.equal(project?.properties['totalIssues'], 30);
  });

  it('updated project is re-fetched', async () => {
    h.jira.state.updateProject('CAT', { name: 'Catalog (renamed)' });
    await h.settle();
    const project = h.port.state.entities('jiraProject').find((entity) => entity.identifier === 'CAT');
    assert.equal(project?.title, 'Catalog (renamed)');
  });

  it('soft delete removes the project and its 30 issues', async () => {
    h.jira.state.softDeleteProject('CAT');
    await h.settle();
    assert.ok(!identifiers(h.port, 'jiraProject').includes('CAT'));
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), ['OPS-1']);
  });

  it('restore brings the project and its issues back', async () => {
    h.jira.state.restoreProject('CAT');
    await h.settle();
    assert.ok(identifiers(h.port, 'jiraProject').includes('CAT'));
    assert.equal(identifiers(h.port, 'jiraIssue').filter((id) => id.startsWith('CAT-')).length, 30);
  });

  it('archive keeps the project and removes its issues', async () => {
    h.jira.state.archiveProject('CAT');
    await h.settle();
    assert.ok(identifiers(h.port, 'jiraProject').includes('CAT'));
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), ['OPS-1']);
  });

  it('hard delete removes the project', async () => {
    h.jira.state.deleteProject('OPS');
    await h.settle();
    assert.ok(!identifiers(h.port, 'jiraProject').includes('OPS'));
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), []);
  });

  it('no delivery failed', async () => {
    assert.deepEqual(h.results.filter((result) => result.outcome === 'failed' || result.outcome === 'dead-lettered').map((result) => result.error), []);
  });
});

describe('project processor with payload fixtures', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    const catalog = Array.from({ length: 30 }, (_, i) => ({ projectKey: 'CAT', summary: `Catalog issue ${i + 1}` }));
    h.jira.state.load({
      projects: [{ id: '10020', key: 'CAT', name: 'Catalog Demo' }, { key: 'OPS', name: 'Operations' }],
      issues: [...catalog, { projectKey: 'OPS', summary: 'Operations issue' }],
    });
  });
  after(() => h.close());

  it('restore from the fixture backfills 30 issues', async () => {
    const result = await h.send(fixture('project_restored_deleted.json'));

    assert.equal(result.outcome, 'upserted');
    assert.deepEqual(identifiers(h.port, 'jiraProject'), ['CAT']);
    assert.equal(identifiers(h.port, 'jiraIssue').length, 30);
  });

  it('soft delete from the fixture removes 30 issues', async () => {
    const operations = h.jira.state.issues().find((issue) => issue.key === 'OPS-1');
    await h.send(payload('issue_created.json', { 'issue.id': operations?.id, 'issue.key': 'OPS-1' }));
    h.jira.state.softDeleteProject('CAT');

    const result = await h.send(fixture('project_soft_deleted.json'));

    assert.equal(result.outcome, 'deleted');
    assert.equal(result.deleted.length, 31);
    assert.ok(!identifiers(h.port, 'jiraProject').includes('CAT'));
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), ['OPS-1']);
  });
});
