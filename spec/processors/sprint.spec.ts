import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JiraClient } from '../../src/jira/client.js';
import type { JiraApi, JiraBoard } from '../../src/jira/types.js';
import { identifiers, JIRA_EMAIL, JIRA_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { defaultMappingYaml, payload } from './fixtures.js';

const SPRINT_ENDPOINT = 'GET /rest/agile/1.0/sprint/{sprintId}';

describe('sprint processor with the default sprintState', () => {
  let h: Harness;
  let board: JiraBoard;
  before(async () => {
    h = await startHarness();
    h.jira.state.load({ projects: [{ key: 'CAT', name: 'Catalog' }] });
    board = h.jira.state.createBoard({ name: 'CAT board', type: 'scrum', projectKeys: ['CAT'] });
  });
  after(() => h.close());

  const sprintEntity = (id: number | string) => h.port.state.entities('jiraSprint').find((entity) => entity.identifier === String(id));
  const newSprint = (name: string): string => String(h.jira.state.createSprint({ boardId: String(board.id), name }).id);

  it('future sprint is not written', async () => {
    const id = newSprint('Sprint 1');

    const result = await h.send(payload('sprint_started.json', { webhookEvent: 'sprint_created', 'sprint.id': Number(id), 'sprint.state': 'future' }));

    assert.notEqual(result.outcome, 'upserted');
    assert.equal(sprintEntity(id), undefined);
  });

  it('started sprint is upserted', async () => {
    const id = newSprint('Sprint 2');
    h.jira.state.startSprint(id);

    const result = await h.send(payload('sprint_started.json', { 'sprint.id': Number(id) }));

    assert.equal(result.outcome, 'upserted');
    assert.equal(sprintEntity(id)?.title, 'Sprint 2');
    assert.equal(sprintEntity(id)?.properties['state'], 'active');
    assert.equal(sprintEntity(id)?.relations['board'], String(board.id));
  });

  it('updated sprint is refetched', async () => {
    const id = newSprint('Sprint 3');
    h.jira.state.startSprint(id);
    h.jira.state.updateSprint(id, { goal: 'Close the sync gaps' });

    const result = await h.send(payload('sprint_started.json', { webhookEvent: 'sprint_updated', 'sprint.id': Number(id), 'sprint.goal': 'stale goal' }));

    assert.equal(result.outcome, 'upserted');
    assert.equal(sprintEntity(id)?.properties['goal'], 'Close the sync gaps');
  });

  it('closed sprint leaves the selector', async () => {
    const id = newSprint('Sprint 4');
    h.jira.state.startSprint(id);
    await h.send(payload('sprint_started.json', { 'sprint.id': Number(id) }));
    h.jira.state.closeSprint(id);

    const result = await h.send(payload('sprint_closed.json', { 'sprint.id': Number(id) }));

    assert.equal(result.outcome, 'deleted');
    assert.deepEqual(result.deleted, [{ blueprint: 'jiraSprint', identifier: id }]);
    assert.equal(sprintEntity(id), undefined);
  });

  it('deleted sprint needs no fetch', async () => {
    const id = newSprint('Sprint 5');
    h.jira.state.startSprint(id);
    await h.send(payload('sprint_started.json', { 'sprint.id': Number(id) }));
    h.jira.state.deleteSprint(id);
    h.jira.state.resetRequestCounts();

    const result = await h.send(payload('sprint_started.json', { webhookEvent: 'sprint_deleted', 'sprint.id': Number(id) }));

    assert.equal(result.outcome, 'deleted');
    assert.equal(h.jira.state.requestCounts().byEndpoint[SPRINT_ENDPOINT] ?? 0, 0);
    assert.equal(sprintEntity(id), undefined);
  });

  it('sprint gone on fetch is deleted', async () => {
    const id = newSprint('Sprint 6');
    h.jira.state.startSprint(id);
    await h.send(payload('sprint_started.json', { 'sprint.id': Number(id) }));
    h.jira.state.deleteSprint(id);

    const result = await h.send(payload('sprint_started.json', { webhookEvent: 'sprint_updated', 'sprint.id': Number(id) }));

    assert.equal(result.outcome, 'deleted');
    assert.equal(sprintEntity(id), undefined);
  });
});

describe('sprint processor with every sprintState', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ mapping: defaultMappingYaml([['sprintState: ["active"]', 'sprintState: null']]) });
    h.jira.state.load({ projects: [{ key: 'CAT', name: 'Catalog' }] });
  });
  after(() => h.close());

  it('closed sprint is kept', async () => {
    const board = h.jira.state.createBoard({ name: 'CAT board', type: 'scrum', projectKeys: ['CAT'] });
    const id = String(h.jira.state.createSprint({ boardId: String(board.id), name: 'Sprint 1' }).id);
    h.jira.state.startSprint(id);
    h.jira.state.closeSprint(id);

    const result = await h.send(payload('sprint_closed.json', { 'sprint.id': Number(id) }));

    assert.equal(result.outcome, 'upserted');
    assert.deepEqual(identifiers(h.port, 'jiraSprint'), [id]);
    assert.equal(h.port.state.entities('jiraSprint')[0]?.properties['state'], 'closed');
  });
});

describe('sprint processor with a host JiraApi', () => {
  let h: Harness;
  before(async () => {
    // A host's own JiraApi written before sprints existed: it delegates the four required calls only.
    // The client needs the simulator's URL, which exists only once the harness runs.
    let client: JiraClient | undefined;
    const started = (): JiraClient => {
      if (client === undefined) throw new Error('the Jira client is not created yet');
      return client;
    };
    const jira: JiraApi = {
      issuesById: (ids, query) => started().issuesById(ids, query),
      issuesOfProject: (projectId, query) => started().issuesOfProject(projectId, query),
      project: (idOrKey, expand) => started().project(idOrKey, expand),
      user: (accountId) => started().user(accountId),
    };
    h = await startHarness({ stream: { jira } });
    client = new JiraClient({ baseUrl: h.jira.url, auth: { email: JIRA_EMAIL, apiToken: JIRA_TOKEN } });
    h.jira.state.load({ projects: [{ key: 'CAT', name: 'Catalog' }] });
  });
  after(() => h.close());

  it('missing sprint call fails clearly', async () => {
    const board = h.jira.state.createBoard({ name: 'CAT board', type: 'scrum', projectKeys: ['CAT'] });
    const id = String(h.jira.state.createSprint({ boardId: String(board.id), name: 'Sprint 1' }).id);

    const result = await h.send(payload('sprint_started.json', { 'sprint.id': Number(id) }));

    assert.ok(['failed', 'dead-lettered'].includes(result.outcome), result.outcome);
    assert.match(result.error ?? '', /The JiraApi in use has no sprint\(\) method/);
  });
});
