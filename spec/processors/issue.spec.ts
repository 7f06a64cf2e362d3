import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identifiers, startHarness, type Harness } from '../support/harness.js';
import { mappingWithIssueJql } from '../support/mapping-file.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';
import { fixture } from './fixtures.js';

const SEARCH = 'POST /rest/api/3/search/jql';

describe('issue processor with the default mapping', () => {
  let h: ServiceHarness;
  before(async () => {
    h = await startServiceHarness();
    h.jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    h.jira.state.createProject({ key: 'PLAT', name: 'Platform' });
    await h.settle();
  });
  after(() => h.close());

  it('created issue is upserted', async () => {
    h.jira.state.createIssue({ projectKey: 'CAT', summary: 'First issue' });
    await h.settle();
    const issue = h.port.state.entities('jiraIssue').find((entity) => entity.identifier === 'CAT-1');
    assert.equal(issue?.title, 'First issue');
    assert.equal(issue?.relations['project'], 'CAT');
  });

  it('updated issue is refreshed from Jira', async () => {
    h.jira.state.updateIssue('CAT-1', { summary: 'Renamed issue', status: 'In Progress' });
    await h.settle();
    const issue = h.port.state.entities('jiraIssue').find((entity) => entity.identifier === 'CAT-1');
    assert.equal(issue?.title, 'Renamed issue');
    assert.equal(issue?.properties['status'], 'In Progress');
  });

  it('moved issue replaces the entity under the old key', async () => {
    h.jira.state.moveIssue('CAT-1', 'PLAT');
    await h.settle();
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), ['PLAT-1']);
  });

  it('deleted issue is deleted without a Jira fetch', async () => {
    await h.settle();
    h.jira.state.resetRequestCounts();
    h.jira.state.deleteIssue('PLAT-1');
    await h.settle();
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), []);
    assert.equal(h.jira.state.requestCounts().byEndpoint[SEARCH] ?? 0, 0);
  });

  it('search-index lag does not hide a new issue', async () => {
    h.jira.state.setFaults({ indexLagMs: 60_000 });
    h.jira.state.createIssue({ projectKey: 'CAT', summary: 'Created under lag' });
    await h.settle();
    h.jira.state.setFaults({});
    assert.ok(identifiers(h.port, 'jiraIssue').includes('CAT-2'));
  });

  it('every delivery ends as a processed result', async () => {
    await h.settle();
    const accepted = h.jira.state.sentWebhooks().length;
    assert.equal(h.results.length, accepted);
    assert.deepEqual(h.results.filter((result) => result.outcome === 'failed'), []);
  });
});

describe('issue processor with a user JQL', () => {
  let h: ServiceHarness;
  before(async () => {
    h = await startServiceHarness({ mapping: mappingWithIssueJql('project = CAT OR project = PLAT ORDER BY created DESC') });
    for (const key of ['CAT', 'PLAT', 'OPS']) h.jira.state.createProject({ key, name: key });
    await h.settle();
  });
  after(() => h.close());

  it('OR in the JQL still restricts to the issue', async () => {
    h.jira.state.createIssue({ projectKey: 'CAT', summary: 'in scope' });
    h.jira.state.createIssue({ projectKey: 'OPS', summary: 'out of scope' });
    await h.settle();
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), ['CAT-1']);
  });

  it('issue leaving the JQL is deleted', async () => {
    h.jira.state.moveIssue('CAT-1', 'OPS');
    await h.settle();
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), []);
  });

  it('ORDER BY in the JQL causes no failure', async () => {
    await h.settle();
    assert.deepEqual(h.results.filter((result) => result.outcome === 'failed').map((result) => result.error), []);
  });
});

describe('issue processor with an empty JQL', () => {
  let h: ServiceHarness;
  before(async () => {
    h = await startServiceHarness({ mapping: mappingWithIssueJql('') });
    h.jira.state.createProject({ key: 'OPS', name: 'Operations' });
    await h.settle();
  });
  after(() => h.close());

  it('every issue is in scope', async () => {
    h.jira.state.createIssue({ projectKey: 'OPS', summary: 'any issue', status: 'Done' });
    await h.settle();
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), ['OPS-1']);
  });
});

describe('issue processor with payload fixtures', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    const catalog = Array.from({ length: 41 }, (_, i) => ({ projectKey: 'CAT', summary: `Catalog ${i + 1}` }));
    const platform = Array.from({ length: 6 }, (_, i) => ({ projectKey: 'PLAT', summary: `Platform ${i + 1}` }));
    h.jira.state.load({
      projects: [{ id: '10020', key: 'CAT', name: 'Catalog Demo' }, { id: '10030', key: 'PLAT', name: 'Platform' }],
      issues: [...catalog, { projectKey: 'CAT', summary: 'Add Jira sync to the service catalog', id: '10042' }, ...platform],
    });
  });
  after(() => h.close());

  it('created issue from the fixture', async () => {
    const result = await h.send(fixture('issue_created.json'));

    assert.equal(result.outcome, 'upserted');
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), ['CAT-42']);
  });

  it('moved issue from the fixture', async () => {
    h.jira.state.moveIssue('CAT-42', 'PLAT');

    const result = await h.send(fixture('issue_updated_moved.json'));

    assert.deepEqual(result.upserted, [{ blueprint: 'jiraIssue', identifier: 'PLAT-7' }]);
    assert.deepEqual(result.deleted, [{ blueprint: 'jiraIssue', identifier: 'CAT-42' }]);
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), ['PLAT-7']);
  });

  it('deleted issue from the fixture', async () => {
    h.jira.state.deleteIssue('PLAT-7');

    const result = await h.send(fixture('issue_deleted.json'));

    assert.equal(result.outcome, 'deleted');
    assert.deepEqual(identifiers(h.port, 'jiraIssue'), []);
  });
});
