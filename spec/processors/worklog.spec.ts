import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JiraIssue } from '../../src/jira/types.js';
import { identifiers, startHarness, type Harness } from '../support/harness.js';
import { defaultMappingYaml, payload } from './fixtures.js';

/** Returns a worklog resource as a user would add it, with `selectorLines` under `selector`. */
function worklogResource(selectorLines = ''): string {
  return `
  - kind: worklog
    selector:
      query: "true"
${selectorLines}    port:
      entity:
        mappings:
          identifier: .id
          title: '"Worklog " + .id'
          blueprint: '"jiraWorklog"'
          properties:
            timeSpentSeconds: .timeSpentSeconds
            started: .started
          relations:
            issue: .__issueKey
`;
}

describe('worklog processor with a worklog resource', () => {
  let h: Harness;
  let issue: JiraIssue;
  before(async () => {
    h = await startHarness({ mapping: defaultMappingYaml([], worklogResource()) });
    h.jira.state.load({ projects: [{ key: 'CAT', name: 'Catalog' }], issues: [{ projectKey: 'CAT', summary: 'Sync the catalog' }] });
    issue = h.jira.state.issues()[0] as JiraIssue;
  });
  after(() => h.close());

  const worklogEntity = (id: string) => h.port.state.entities('jiraWorklog').find((entity) => entity.identifier === id);
  const issueEntity = () => h.port.state.entities('jiraIssue').find((entity) => entity.identifier === issue.key);
  const currentUpdated = () => h.jira.state.issues()[0]?.fields.updated;

  it('created worklog refreshes issue and worklog', async () => {
    const worklog = h.jira.state.addWorklog(issue.id, { timeSpentSeconds: 7200 });

    const result = await h.send(payload('worklog_created.json', { 'worklog.id': worklog.id, 'worklog.issueId': issue.id }));

    assert.equal(result.outcome, 'upserted');
    assert.deepEqual([...result.kinds].sort(), ['issue', 'worklog']);
    assert.equal(issueEntity()?.properties['updated'], currentUpdated());
    assert.equal(worklogEntity(worklog.id)?.properties['timeSpentSeconds'], 7200);
    assert.equal(worklogEntity(worklog.id)?.relations['issue'], issue.key);
  });

  it('updated worklog is refetched', async () => {
    const worklog = h.jira.state.addWorklog(issue.id, { timeSpentSeconds: 600 });
    h.jira.state.updateWorklog(issue.id, worklog.id, { timeSpentSeconds: 1800 });

    const result = await h.send(payload('worklog_created.json', { webhookEvent: 'worklog_updated', 'worklog.id': worklog.id, 'worklog.issueId': issue.id }));

    assert.equal(result.outcome, 'upserted');
    assert.equal(worklogEntity(worklog.id)?.properties['timeSpentSeconds'], 1800);
    assert.equal(issueEntity()?.properties['updated'], currentUpdated());
  });

  it('deleted worklog leaves, issue stays', async () => {
    const worklog = h.jira.state.addWorklog(issue.id, { timeSpentSeconds: 600 });
    await h.send(payload('worklog_created.json', { 'worklog.id': worklog.id, 'worklog.issueId': issue.id }));
    h.jira.state.deleteWorklog(issue.id, worklog.id);

    const result = await h.send(payload('worklog_created.json', { webhookEvent: 'worklog_deleted', 'worklog.id': worklog.id, 'worklog.issueId': issue.id }));

    assert.deepEqual(result.deleted, [{ blueprint: 'jiraWorklog', identifier: worklog.id }]);
    assert.equal(worklogEntity(worklog.id), undefined);
    assert.equal(issueEntity()?.properties['updated'], currentUpdated());
  });

  it('worklog of a deleted issue leaves', async () => {
    const doomed = h.jira.state.createIssue({ projectKey: 'CAT', summary: 'Doomed' });
    const worklog = h.jira.state.addWorklog(doomed.id, { timeSpentSeconds: 600 });
    await h.send(payload('worklog_created.json', { 'worklog.id': worklog.id, 'worklog.issueId': doomed.id }));
    h.jira.state.deleteIssue(doomed.id);

    const result = await h.send(payload('worklog_created.json', { webhookEvent: 'worklog_updated', 'worklog.id': worklog.id, 'worklog.issueId': doomed.id }));

    assert.equal(result.outcome, 'deleted');
    assert.equal(worklogEntity(worklog.id), undefined);
    assert.ok(!identifiers(h.port, 'jiraIssue').includes(doomed.key));
  });
});

describe('worklog processor with the default mapping', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.jira.state.load({ projects: [{ key: 'CAT', name: 'Catalog' }], issues: [{ projectKey: 'CAT', summary: 'Sync the catalog' }] });
  });
  after(() => h.close());

  it('only the issue is refreshed', async () => {
    const issue = h.jira.state.issues()[0] as JiraIssue;
    const worklog = h.jira.state.addWorklog(issue.id, { timeSpentSeconds: 600 });

    const result = await h.send(payload('worklog_created.json', { 'worklog.id': worklog.id, 'worklog.issueId': issue.id }));

    assert.deepEqual(result.kinds, ['issue']);
    assert.deepEqual(result.upserted, [{ blueprint: 'jiraIssue', identifier: issue.key }]);
  });
});

describe('worklog processor with a worklog jql', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ mapping: defaultMappingYaml([], worklogResource('      jql: "project = CAT"\n')) });
    h.jira.state.load({
      projects: [{ key: 'CAT', name: 'Catalog' }, { key: 'OPS', name: 'Operations' }],
      issues: [{ projectKey: 'CAT', summary: 'In scope' }, { projectKey: 'OPS', summary: 'Out of scope' }],
    });
  });
  after(() => h.close());

  it('worklog outside the jql is not written', async () => {
    const [inScope, outOfScope] = h.jira.state.issues() as [JiraIssue, JiraIssue];
    const kept = h.jira.state.addWorklog(inScope.id, { timeSpentSeconds: 600 });
    const dropped = h.jira.state.addWorklog(outOfScope.id, { timeSpentSeconds: 600 });

    await h.send(payload('worklog_created.json', { 'worklog.id': kept.id, 'worklog.issueId': inScope.id }));
    await h.send(payload('worklog_created.json', { 'worklog.id': dropped.id, 'worklog.issueId': outOfScope.id }));

    assert.deepEqual(identifiers(h.port, 'jiraWorklog'), [kept.id]);
  });
});
