import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../mapping/default-mapping.js';
import type { JiraState } from '../simulators/jira/state.js';

/** One step of the demo: bring the Jira simulator to a state, then send a delivery about it. */
export interface DemoStep {
  readonly title: string;
  /** Fixture file under `fixtures/payloads/` or an inline body. */
  readonly body: Record<string, unknown>;
  /** Change the simulator's data so that the pipeline's re-fetch returns the state the delivery reports. */
  readonly before?: (jira: JiraState) => void;
  /** Delivery identifier header; a step that repeats an earlier identifier is a retry. */
  readonly identifier: string;
  /** Send a signature that does not match (to show the 401). */
  readonly tamperSignature?: boolean;
}

const CAT_ID = '10020';
const PLAT_ID = '10030';
const ISSUE_ID = '10042';
const SECOND_ISSUE_ID = '10043';
const EXAMPLE_USER = '712020:3f1c2a9e-1b2c-4d5e-8f90-0a1b2c3d4e5f';
const OTHER_USER = '712020:9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const NEW_USER = '712020:0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

/** Read a bundled payload sample. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'payloads', `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/**
 * The Jira data the bundled samples talk about: projects CAT (10020) and
 * PLAT (10030), issue 10042 as CAT-42 and 10043 as CAT-43, and the samples'
 * users. Old, done issues fill the projects so the keys line up with the
 * samples (CAT-42, and PLAT-7 after the move); the default JQL excludes them.
 */
export function seedDemoData(jira: JiraState): void {
  const longAgo = new Date(Date.now() - 90 * 24 * 3600 * 1000).toISOString();
  const filler = (projectKey: string, count: number, firstId: number) =>
    Array.from({ length: count }, (_, i) => ({ id: String(firstId + i), projectKey, summary: `Archived work item ${i + 1}`, status: 'Done', created: longAgo, updated: longAgo }));

  jira.load({
    users: [
      { accountId: EXAMPLE_USER, displayName: 'Example User', timeZone: 'Europe/London' },
      { accountId: OTHER_USER, displayName: 'Another Example User', timeZone: 'America/New_York' },
      { accountId: NEW_USER, displayName: 'New Example User', emailAddress: 'new.user@example.com' },
    ],
    projects: [
      { id: CAT_ID, key: 'CAT', name: 'Catalog Demo', leadAccountId: OTHER_USER },
      { id: PLAT_ID, key: 'PLAT', name: 'Platform', leadAccountId: EXAMPLE_USER },
    ],
    issues: [
      ...filler('CAT', 41, 10001),
      { id: ISSUE_ID, projectKey: 'CAT', summary: 'Add the catalog page for services', status: 'In Progress', issuetype: 'Task', labels: ['catalog'], reporterAccountId: EXAMPLE_USER, assigneeAccountId: EXAMPLE_USER },
      { id: SECOND_ISSUE_ID, projectKey: 'CAT', summary: 'Show owners on the catalog page', status: 'To Do', issuetype: 'Story', reporterAccountId: EXAMPLE_USER },
      ...filler('PLAT', 6, 10060),
    ],
  });
}

/** Build the demo's deliveries, in the order they are sent. */
export function demoSteps(): DemoStep[] {
  const created = fixture('issue_created');
  const secondIssue = structuredClone(created) as { issue: { id: string; key: string; fields: Record<string, unknown> } };
  secondIssue.issue.id = SECOND_ISSUE_ID;
  secondIssue.issue.key = 'CAT-43';
  secondIssue.issue.fields['summary'] = 'Show owners on the catalog page';
  const createdIdentifier = randomUUID();

  return [
    { title: 'project created', body: fixture('project_created'), identifier: randomUUID() },
    { title: 'project renamed', body: fixture('project_updated'), identifier: randomUUID(), before: (jira) => jira.updateProject(CAT_ID, { name: 'Catalog Demo (renamed)' }) },
    { title: 'issue created (CAT-42)', body: created, identifier: createdIdentifier },
    { title: 'issue created (CAT-43)', body: secondIssue as unknown as Record<string, unknown>, identifier: randomUUID() },
    { title: 'issue resolved', body: fixture('issue_updated'), identifier: randomUUID(), before: (jira) => jira.updateIssue(ISSUE_ID, { status: 'Done' }) },
    { title: 'issue reassigned', body: fixture('issue_updated_assignee'), identifier: randomUUID(), before: (jira) => jira.updateIssue(ISSUE_ID, { assigneeAccountId: OTHER_USER }) },
    { title: 'comment on an issue', body: fixture('comment_created'), identifier: randomUUID(), before: (jira) => jira.addComment(ISSUE_ID, 'Looks good to me.') },
    { title: 'issue moved CAT-42 -> PLAT-7', body: fixture('issue_updated_moved'), identifier: randomUUID(), before: (jira) => jira.moveIssue(ISSUE_ID, 'PLAT') },
    { title: 'project moved to trash', body: fixture('project_soft_deleted'), identifier: randomUUID(), before: (jira) => jira.softDeleteProject(CAT_ID) },
    { title: 'project restored', body: fixture('project_restored_deleted'), identifier: randomUUID(), before: (jira) => jira.restoreProject(CAT_ID) },
    { title: 'user created', body: fixture('user_created'), identifier: randomUUID() },
    { title: 'issue deleted', body: fixture('issue_deleted'), identifier: randomUUID(), before: (jira) => jira.deleteIssue(ISSUE_ID) },
    { title: 'unknown event', body: { timestamp: Date.now(), webhookEvent: 'issuelink_created', issueLink: { id: 10100, sourceIssueId: 10043, destinationIssueId: 10001 } }, identifier: randomUUID() },
    { title: 'workflow post-function (no webhookEvent)', body: { timestamp: Date.now(), issue: { id: SECOND_ISSUE_ID, key: 'CAT-43' }, transition: { workflowName: 'Software Simplified Workflow', transitionName: 'Start' } }, identifier: randomUUID() },
    { title: 'Jira retry of "issue created"', body: created, identifier: createdIdentifier },
    { title: 'forged delivery (bad signature)', body: fixture('issue_deleted'), identifier: randomUUID(), tamperSignature: true },
  ];
}
