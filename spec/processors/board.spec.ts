import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identifiers, startHarness, type Harness } from '../support/harness.js';
import { defaultMappingYaml, payload, without } from './fixtures.js';

const BOARD_ENDPOINT = 'GET /rest/agile/1.0/board/{boardId}';

describe('board processor with the default mapping', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.jira.state.load({ projects: [{ key: 'CAT', name: 'Catalog' }, { key: 'OPS', name: 'Operations' }] });
  });
  after(() => h.close());

  const boardEntity = (id: number | string) => h.port.state.entities('jiraBoard').find((entity) => entity.identifier === String(id));

  it('created board is upserted with projects', async () => {
    const board = h.jira.state.createBoard({ name: 'CAT board', type: 'scrum', projectKeys: ['CAT', 'OPS'] });

    const result = await h.send(payload('board_created.json', { 'board.id': board.id }));

    assert.equal(result.outcome, 'upserted');
    assert.equal(boardEntity(board.id)?.title, 'CAT board');
    assert.equal(boardEntity(board.id)?.properties['type'], 'scrum');
    assert.deepEqual(boardEntity(board.id)?.relations['projects'], ['CAT', 'OPS']);
  });

  it('updated board is refetched', async () => {
    const board = h.jira.state.createBoard({ name: 'Ops board', type: 'kanban', projectKeys: ['OPS'] });
    h.jira.state.updateBoard(String(board.id), { name: 'Operations board' });

    const result = await h.send(payload('board_created.json', { webhookEvent: 'board_updated', 'board.id': board.id }));

    assert.equal(result.outcome, 'upserted');
    assert.equal(boardEntity(board.id)?.title, 'Operations board');
  });

  it('configuration change as configuration object', async () => {
    const board = h.jira.state.createBoard({ name: 'Moving board', type: 'kanban', projectKeys: ['CAT'] });
    h.jira.state.changeBoardConfiguration(String(board.id), { projectKeys: ['OPS'] });
    const body = payload('board_created.json', { webhookEvent: 'board_configuration_changed', 'board.id': board.id });

    const result = await h.send({ ...without(body, 'board'), configuration: body['board'] });

    assert.equal(result.outcome, 'upserted');
    assert.deepEqual(boardEntity(board.id)?.relations['projects'], ['OPS']);
  });

  it('deleted board needs no fetch', async () => {
    const board = h.jira.state.createBoard({ name: 'Doomed board', type: 'simple', projectKeys: ['CAT'] });
    await h.send(payload('board_created.json', { 'board.id': board.id }));
    h.jira.state.deleteBoard(String(board.id));
    h.jira.state.resetRequestCounts();

    const result = await h.send(payload('board_created.json', { webhookEvent: 'board_deleted', 'board.id': board.id }));

    assert.equal(result.outcome, 'deleted');
    assert.equal(h.jira.state.requestCounts().byEndpoint[BOARD_ENDPOINT] ?? 0, 0);
    assert.equal(boardEntity(board.id), undefined);
  });

  it('board without id rejected', async () => {
    const result = await h.send(without(payload('board_created.json'), 'board'));

    assert.equal(result.outcome, 'rejected');
    assert.match(result.reason ?? '', /board/);
  });
});

describe('board processor with boardType and projectKey', () => {
  let h: Harness;
  before(async () => {
    const mapping = defaultMappingYaml([['  - kind: board\n    selector:\n      query: "true"\n', '  - kind: board\n    selector:\n      query: "true"\n      boardType: scrum\n      projectKey: CAT\n']]);
    h = await startHarness({ mapping });
    h.jira.state.load({ projects: [{ key: 'CAT', name: 'Catalog' }, { key: 'OPS', name: 'Operations' }] });
  });
  after(() => h.close());

  it('kanban board is not written', async () => {
    const board = h.jira.state.createBoard({ name: 'Flow', type: 'kanban', projectKeys: ['CAT'] });

    const result = await h.send(payload('board_created.json', { 'board.id': board.id }));

    assert.notEqual(result.outcome, 'upserted');
    assert.deepEqual(identifiers(h.port, 'jiraBoard'), []);
  });

  it('board leaving the project is deleted', async () => {
    const board = h.jira.state.createBoard({ name: 'CAT board', type: 'scrum', projectKeys: ['CAT'] });
    await h.send(payload('board_created.json', { 'board.id': board.id }));
    const written = identifiers(h.port, 'jiraBoard');
    h.jira.state.changeBoardConfiguration(String(board.id), { projectKeys: ['OPS'] });

    const result = await h.send(payload('board_created.json', { webhookEvent: 'board_configuration_changed', 'board.id': board.id }));

    assert.deepEqual(written, [String(board.id)]);
    assert.equal(result.outcome, 'deleted');
    assert.deepEqual(identifiers(h.port, 'jiraBoard'), []);
  });
});
