import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_BLUEPRINTS_PATH } from '../../src/mapping/default-mapping.js';
import type { JiraVersion } from '../../src/jira/types.js';
import { identifiers, startHarness, type Harness } from '../support/harness.js';
import { payload, without } from './fixtures.js';

const VERSION_ENDPOINT = 'GET /rest/api/3/version/{id}';

describe('release processor', () => {
  let h: Harness;
  let first: JiraVersion;
  let second: JiraVersion;
  before(async () => {
    h = await startHarness();
    h.jira.state.load({ projects: [{ id: '10020', key: 'CAT', name: 'Catalog' }] });
    first = h.jira.state.createVersion({ projectKey: 'CAT', name: '1.0', releaseDate: '2026-12-15' });
    second = h.jira.state.createVersion({ projectKey: 'CAT', name: '1.1' });
  });
  after(() => h.close());

  const release = (id: string) => h.port.state.entities('jiraRelease').find((entity) => entity.identifier === id);

  it('created version is upserted', async () => {
    const result = await h.send(payload('version_created.json', { 'version.id': first.id }));

    assert.equal(result.outcome, 'upserted');
    assert.equal(release(first.id)?.title, '1.0');
    assert.equal(release(first.id)?.relations['project'], 'CAT');
    assert.equal(release(first.id)?.properties['releaseDate'], '2026-12-15');
    assert.equal(release(first.id)?.properties['url'], `${h.jira.url}/projects/CAT/versions/${first.id}`);
  });

  for (const [event, change] of [
    ['jira:version_updated', () => h.jira.state.updateVersion(first.id, { description: 'Catalog sync' })],
    ['jira:version_released', () => h.jira.state.releaseVersion(first.id)],
    ['jira:version_unreleased', () => h.jira.state.unreleaseVersion(first.id)],
    ['jira:version_moved', () => h.jira.state.moveVersion(first.id, 'Last')],
  ] as const) {
    it(`${event} refetches the version`, async () => {
      const current = change();
      const result = await h.send(payload('version_created.json', { webhookEvent: event, 'version.id': first.id }));

      assert.equal(result.outcome, 'upserted');
      assert.equal(release(first.id)?.properties['released'], current['released']);
      assert.equal(release(first.id)?.properties['description'], current['description']);
    });
  }

  it('merge deletes and refreshes target', async () => {
    await h.send(payload('version_created.json', { 'version.id': second.id }));
    h.jira.state.updateVersion(second.id, { description: 'Now holds the 1.0 issues' });
    h.jira.state.mergeVersion(first.id, second.id);

    const result = await h.send(payload('version_deleted_merged.json', { 'version.id': first.id, 'mergedTo.id': second.id }));

    assert.deepEqual(result.processors, ['release', 'release-merge']);
    assert.deepEqual(result.deleted, [{ blueprint: 'jiraRelease', identifier: first.id }]);
    assert.deepEqual(result.upserted, [{ blueprint: 'jiraRelease', identifier: second.id }]);
    assert.equal(release(second.id)?.properties['description'], 'Now holds the 1.0 issues');
    assert.deepEqual(identifiers(h.port, 'jiraRelease'), [second.id]);
  });

  it('deleted version needs no fetch', async () => {
    const doomed = h.jira.state.createVersion({ projectKey: 'CAT', name: '2.0' });
    await h.send(payload('version_created.json', { 'version.id': doomed.id }));
    h.jira.state.deleteVersion(doomed.id);
    h.jira.state.resetRequestCounts();

    const result = await h.send(without(payload('version_deleted_merged.json', { 'version.id': doomed.id }), 'mergedTo'));

    assert.equal(result.outcome, 'deleted');
    assert.deepEqual(result.processors, ['release']);
    assert.equal(h.jira.state.requestCounts().byEndpoint[VERSION_ENDPOINT] ?? 0, 0);
    assert.ok(!identifiers(h.port, 'jiraRelease').includes(doomed.id));
  });

  it('version gone on fetch is deleted', async () => {
    const gone = h.jira.state.createVersion({ projectKey: 'CAT', name: '3.0' });
    await h.send(payload('version_created.json', { 'version.id': gone.id }));
    h.jira.state.deleteVersion(gone.id);

    const result = await h.send(payload('version_created.json', { webhookEvent: 'jira:version_updated', 'version.id': gone.id }));

    assert.equal(result.outcome, 'deleted');
    assert.ok(!identifiers(h.port, 'jiraRelease').includes(gone.id));
  });

  it('version without id rejected', async () => {
    const result = await h.send(payload('version_created.json', { 'version.id': '' }));

    assert.equal(result.outcome, 'rejected');
    assert.match(result.reason ?? '', /version\.id/);
  });
});

describe('default blueprints in Port', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    const response = await fetch(`${h.port.url}/_sim/blueprints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: readFileSync(DEFAULT_BLUEPRINTS_PATH, 'utf8'),
    });
    assert.equal(response.status, 200);
    h.jira.state.load({ projects: [{ id: '10020', key: 'CAT', name: 'Catalog' }] });
  });
  after(() => h.close());

  it('release, board and sprint entities validate', async () => {
    const version = h.jira.state.createVersion({ projectKey: 'CAT', name: '1.0', releaseDate: '2026-12-15' });
    const board = h.jira.state.createBoard({ name: 'CAT board', type: 'scrum', projectKeys: ['CAT'] });
    const sprint = h.jira.state.createSprint({ boardId: String(board.id), name: 'Sprint 1' });
    h.jira.state.startSprint(String(sprint.id));

    const results = [
      await h.send(payload('version_created.json', { 'version.id': version.id })),
      await h.send(payload('board_created.json', { 'board.id': board.id })),
      await h.send(payload('sprint_started.json', { 'sprint.id': sprint.id })),
    ];

    assert.deepEqual(results.map((result) => result.error ?? result.outcome), ['upserted', 'upserted', 'upserted']);
    assert.deepEqual(h.port.state.entities('jiraBoard')[0]?.relations['projects'], ['CAT']);
    assert.equal(h.port.state.entities('jiraSprint')[0]?.relations['board'], String(board.id));
  });
});
