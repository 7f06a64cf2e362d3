import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultProcessors } from '../../src/processors/index.js';
import type { WebhookEvent } from '../../src/processors/processor.js';
import { WEBHOOK_EVENTS_BY_KIND, webhookEventsFor } from '../../src/registration/events.js';

/** Every `webhookEvent` of Jira Cloud's webhook documentation, by family. */
const JIRA_EVENTS = [
  'jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted',
  'comment_created', 'comment_updated', 'comment_deleted',
  'worklog_created', 'worklog_updated', 'worklog_deleted',
  'attachment_created', 'attachment_deleted', 'issuelink_created', 'issuelink_deleted',
  'issue_property_set', 'issue_property_deleted', 'issuetype_created', 'issuetype_updated', 'issuetype_deleted',
  'project_created', 'project_updated', 'project_deleted', 'project_soft_deleted',
  'project_restored_deleted', 'project_archived', 'project_restored_archived',
  'user_created', 'user_updated', 'user_deleted',
  'jira:version_released', 'jira:version_unreleased', 'jira:version_created', 'jira:version_moved',
  'jira:version_updated', 'jira:version_deleted', 'jira:version_merged',
  'filter_created', 'filter_updated', 'filter_deleted',
  'sprint_created', 'sprint_updated', 'sprint_deleted', 'sprint_started', 'sprint_closed',
  'board_created', 'board_updated', 'board_deleted', 'board_configuration_changed',
];

/** Builds an event whose payload has every top-level object a processor looks for, so ownership depends on the event name only. */
function probe(name: string): WebhookEvent {
  const payload = {
    webhookEvent: name,
    issue: { id: '10001', key: 'CAT-1', fields: {} },
    comment: { id: '1' },
    worklog: { id: '1', issueId: '10001' },
    project: { id: '10000', key: 'CAT' },
    user: { accountId: 'account-1' },
    version: { id: '1', projectId: 10000 },
    mergedTo: { id: '2', projectId: 10000 },
    sprint: { id: 1, originBoardId: 1 },
    board: { id: 1 },
  };
  const delivery = { offset: 1, deliveryId: 'probe', receivedAt: 0, headers: {}, body: Buffer.from(JSON.stringify(payload)) };
  return { delivery, name, payload };
}

/** Events processors accept that admin webhooks never send under that name (a merge comes as jira:version_deleted). */
const NOT_REGISTERED = new Set(['jira:version_merged']);

describe('webhook events by kind', () => {
  test('cover every event a processor handles', () => {
    const missing: string[] = [];
    for (const processor of defaultProcessors({ allowUnsigned: true })) {
      for (const name of JIRA_EVENTS) {
        const event = probe(name);
        if (NOT_REGISTERED.has(name) || !processor.shouldProcessEvent(event)) continue;
        for (const kind of processor.getMatchingKinds(event)) {
          if (!webhookEventsFor([kind]).includes(name)) missing.push(`${processor.name}: ${name} for kind ${kind}`);
        }
      }
    }

    assert.deepEqual(missing, []);
  });

  test('name only Jira events', () => {
    const unknown = Object.values(WEBHOOK_EVENTS_BY_KIND).flat().filter((name) => !JIRA_EVENTS.includes(name));

    assert.deepEqual(unknown, []);
  });

  test('union without repeats, sorted', () => {
    const events = webhookEventsFor(['issue', 'project', 'issue']);

    assert.deepEqual(events, [...new Set(events)].sort());
    assert.ok(events.includes('comment_created'));
    assert.ok(events.includes('project_updated'));
  });
});
