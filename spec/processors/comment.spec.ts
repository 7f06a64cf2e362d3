import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness.js';
import { fixture, payload } from './fixtures.js';

const SEARCH = 'POST /rest/api/3/search/jql';

/** 41 issues and then issue `id`, so that it gets the key `<projectKey>-42` as in the fixtures. */
function fortyTwoIssues(projectKey: string, id: string): Array<{ projectKey: string; summary: string; id?: string }> {
  const filler = Array.from({ length: 41 }, (_, i) => ({ projectKey, summary: `Filler ${i + 1}` }));
  return [...filler, { projectKey, summary: 'Add Jira sync to the service catalog', id }];
}

describe('comment processor for Cloud', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.jira.state.load({ projects: [{ id: '10020', key: 'CAT', name: 'Catalog Demo' }], issues: fortyTwoIssues('CAT', '10042') });
  });
  after(() => h.close());

  it('comment refreshes the parent issue', async () => {
    h.jira.state.addComment('CAT-42', 'Looks good, syncing to the catalog now.');

    const result = await h.send(fixture('comment_created.json'));

    assert.equal(result.outcome, 'upserted');
    assert.deepEqual(result.upserted, [{ blueprint: 'jiraIssue', identifier: 'CAT-42' }]);
  });

  for (const event of ['comment_updated', 'comment_deleted']) {
    it(`${event} refreshes the parent issue`, async () => {
      const result = await h.send(payload('comment_created.json', { webhookEvent: event }));

      assert.equal(result.outcome, 'upserted');
      assert.deepEqual(result.processors, ['comment']);
    });
  }
});

describe('comment processor for a Data Center comment pair', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.jira.state.load({ projects: [{ id: '10200', key: 'CAT', name: 'Catalog Demo' }], issues: fortyTwoIssues('CAT', '20042') });
    h.jira.state.updateIssue('CAT-42', { status: 'Done' });
  });
  after(() => h.close());

  it('stripped comment event is ignored', async () => {
    h.jira.state.resetRequestCounts();

    const result = await h.send(fixture('dc_comment_created.json'));

    assert.equal(result.outcome, 'ignored');
    assert.deepEqual(result.processors, ['comment']);
    assert.match(result.reason ?? '', /comment 30100 carries no issue \(a Data Center comment event\)/);
    assert.match(result.reason ?? '', /jira:issue_updated/);
    assert.equal(h.jira.state.requestCounts().byEndpoint[SEARCH] ?? 0, 0);
  });

  it('full issue update does the work', async () => {
    const result = await h.send(fixture('dc_issue_updated.json'));

    assert.equal(result.outcome, 'upserted');
    assert.deepEqual(result.processors, ['issue']);
    const issue = h.port.state.entities('jiraIssue').find((entity) => entity.identifier === 'CAT-42');
    assert.equal(issue?.properties['status'], 'Done');
  });

  it('unsigned stripped comment rejected', async () => {
    const result = await h.send(fixture('dc_comment_created.json'), { secret: null });

    assert.equal(result.outcome, 'rejected');
  });
});
