import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness.js';
import { fixture, payload, without, type Payload } from './fixtures.js';

/** One webhook event name, the body sent for it, and the processors that must own it. */
interface EventCase {
  readonly event: string;
  readonly body: () => Payload;
  readonly processors: readonly string[];
}

/** Ids of the objects the simulator holds, set in `before`. */
const ids = { version: '', mergeTarget: '', board: 0, sprint: 0, worklog: '' };

const eventOf = (name: string, event: string, values: Readonly<Record<string, unknown>> = {}) => (): Payload =>
  payload(name, { webhookEvent: event, ...values });

/** Every `webhookEvent` of the Jira reference table that a processor handles, from the payload fixtures. */
const HANDLED: readonly EventCase[] = [
  ...['jira:issue_created', 'jira:issue_updated'].map((event) => ({ event, body: eventOf('issue_created.json', event), processors: ['issue'] })),
  // Another issue than the one the later comment and worklog events name: after a
  // deletion the pipeline no longer fetches the deleted id, as Jira never reuses it.
  { event: 'jira:issue_deleted', body: eventOf('issue_created.json', 'jira:issue_deleted', { 'issue.id': '10099', 'issue.key': 'CAT-99' }), processors: ['issue'] },
  ...['comment_created', 'comment_updated', 'comment_deleted'].map((event) => ({ event, body: eventOf('comment_created.json', event), processors: ['comment'] })),
  ...['worklog_created', 'worklog_updated', 'worklog_deleted'].map((event) => ({
    event,
    body: () => payload('worklog_created.json', { webhookEvent: event, 'worklog.id': ids.worklog }),
    processors: ['worklog'],
  })),
  ...['project_created', 'project_updated', 'project_archived', 'project_restored_archived', 'project_soft_deleted', 'project_restored_deleted', 'project_deleted']
    .map((event) => ({ event, body: eventOf('project_created.json', event), processors: ['project'] })),
  { event: 'user_created', body: () => fixture('user_created.json'), processors: ['user'] },
  { event: 'user_updated', body: () => fixture('user_updated.json'), processors: ['user'] },
  { event: 'user_deleted', body: () => fixture('user_deleted.json'), processors: ['user'] },
  ...['jira:version_created', 'jira:version_updated', 'jira:version_released', 'jira:version_unreleased', 'jira:version_moved'].map((event) => ({
    event,
    body: () => payload('version_created.json', { webhookEvent: event, 'version.id': ids.version }),
    processors: ['release'],
  })),
  {
    event: 'jira:version_merged',
    body: () => payload('version_deleted_merged.json', { webhookEvent: 'jira:version_merged', 'version.id': ids.version, 'mergedTo.id': ids.mergeTarget }),
    processors: ['release', 'release-merge'],
  },
  {
    event: 'jira:version_deleted',
    body: () => payload('version_deleted_merged.json', { 'version.id': ids.version, 'mergedTo.id': ids.mergeTarget }),
    processors: ['release', 'release-merge'],
  },
  ...['sprint_created', 'sprint_updated', 'sprint_started', 'sprint_closed', 'sprint_deleted'].map((event) => ({
    event,
    body: () => payload('sprint_started.json', { webhookEvent: event, 'sprint.id': ids.sprint }),
    processors: ['sprint'],
  })),
  ...['board_created', 'board_updated', 'board_configuration_changed', 'board_deleted'].map((event) => ({
    event,
    body: () => payload('board_created.json', { webhookEvent: event, 'board.id': ids.board }),
    processors: ['board'],
  })),
];

/** Event names of the reference table that no processor handles, plus one Jira may add later. */
const UNHANDLED = [
  'attachment_created',
  'attachment_deleted',
  'issuelink_created',
  'issuelink_deleted',
  'issue_property_set',
  'issue_property_deleted',
  'issuetype_created',
  'issuetype_updated',
  'issuetype_deleted',
  'filter_created',
  'filter_updated',
  'filter_deleted',
  'option_voting_changed',
  'option_timetracking_changed',
  'jira:worklog_updated',
  'app_access_to_objects_blocked',
  'jira_expression_evaluation_failed',
  'dashboard_created',
];

describe('webhook events from payload fixtures', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    const filler = Array.from({ length: 41 }, (_, i) => ({ projectKey: 'CAT', summary: `Catalog ${i + 1}` }));
    h.jira.state.load({
      users: [
        { accountId: '712020:0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', displayName: 'New Example User' },
        { accountId: '712020:9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', displayName: 'Another Example User' },
      ],
      projects: [{ id: '10020', key: 'CAT', name: 'Catalog Demo' }],
      issues: [...filler, { projectKey: 'CAT', summary: 'Add Jira sync to the service catalog', id: '10042' }],
    });
    ids.version = h.jira.state.createVersion({ projectKey: 'CAT', name: '1.0' }).id;
    ids.mergeTarget = h.jira.state.createVersion({ projectKey: 'CAT', name: '1.1' }).id;
    ids.board = Number(h.jira.state.createBoard({ name: 'CAT board', type: 'scrum', projectKeys: ['CAT'] }).id);
    ids.sprint = Number(h.jira.state.createSprint({ boardId: String(ids.board), name: 'Sprint 1' }).id);
    h.jira.state.startSprint(String(ids.sprint));
    ids.worklog = h.jira.state.addWorklog('10042', { timeSpentSeconds: 7200 }).id;
  });
  after(() => h.close());

  for (const { event, body, processors } of HANDLED) {
    it(`${event} is handled`, async () => {
      const result = await h.send(body());

      assert.equal(result.webhookEvent, event);
      assert.deepEqual(result.processors, processors);
      assert.ok(['upserted', 'deleted'].includes(result.outcome), `${result.outcome}: ${result.error ?? result.reason ?? ''}`);
    });
  }

  for (const event of UNHANDLED) {
    it(`${event} is ignored by name`, async () => {
      const result = await h.send({ timestamp: 1764849600000, webhookEvent: event });

      assert.equal(result.outcome, 'ignored');
      assert.equal(result.reason, `no processor handles webhook event "${event}"`);
    });
  }

  it('body without webhookEvent is ignored', async () => {
    const result = await h.send(without(fixture('issue_created.json'), 'webhookEvent'));

    assert.equal(result.outcome, 'ignored');
    assert.equal(result.webhookEvent, null);
    assert.match(result.reason ?? '', /no webhookEvent/);
  });
});
