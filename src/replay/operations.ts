import * as t from 'io-ts';
import {
  IssueInputCodec,
  IssuePatchCodec,
  ProjectInputCodec,
  ProjectPatchCodec,
  UserInputCodec,
  UserPatchCodec,
} from '../simulators/jira/admin-codecs.js';
import type { JiraState } from '../simulators/jira/state.js';

/**
 * One change to the simulated Jira site, as the generator applied it and as
 * a state file stores it. Applying the same operations in the same order to
 * a freshly reset simulator gives the same ids and keys, because the
 * simulator allocates them in sequence.
 */
export const StreamOperationCodec = t.union([
  t.type({ op: t.literal('createUser'), input: UserInputCodec }),
  t.type({ op: t.literal('updateUser'), accountId: t.string, patch: UserPatchCodec }),
  t.type({ op: t.literal('deactivateUser'), accountId: t.string }),
  t.type({ op: t.literal('createProject'), input: ProjectInputCodec }),
  t.type({ op: t.literal('updateProject'), projectKey: t.string, patch: ProjectPatchCodec }),
  t.type({ op: t.literal('archiveProject'), projectKey: t.string }),
  t.type({ op: t.literal('restoreArchivedProject'), projectKey: t.string }),
  t.type({ op: t.literal('softDeleteProject'), projectKey: t.string }),
  t.type({ op: t.literal('restoreProject'), projectKey: t.string }),
  t.type({ op: t.literal('purgeProject'), projectKey: t.string }),
  t.type({ op: t.literal('createIssue'), input: IssueInputCodec }),
  t.type({ op: t.literal('updateIssue'), issueId: t.string, patch: IssuePatchCodec }),
  t.type({ op: t.literal('moveIssue'), issueId: t.string, projectKey: t.string }),
  t.type({ op: t.literal('deleteIssue'), issueId: t.string }),
  t.type({ op: t.literal('addComment'), issueId: t.string, body: t.string, authorAccountId: t.string }),
]);

export type StreamOperation = t.TypeOf<typeof StreamOperationCodec>;

/** A request to the Jira simulator's `/_sim` admin API. */
export interface AdminRequest {
  readonly method: 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
}

/**
 * Apply one operation to an in-process simulator through the same methods
 * the `/_sim` admin API calls. Returns the id of the issue a `createIssue`
 * made, and undefined for every other operation. Throws the simulator's
 * error (such as `InvalidInputError`) when the operation does not fit the
 * current state.
 */
export function applyOperation(state: JiraState, operation: StreamOperation): string | undefined {
  switch (operation.op) {
    case 'createUser': state.createUser(operation.input); return undefined;
    case 'updateUser': state.updateUser(operation.accountId, operation.patch); return undefined;
    case 'deactivateUser': state.deleteUser(operation.accountId, { mode: 'inactive' }); return undefined;
    case 'createProject': state.createProject(operation.input); return undefined;
    case 'updateProject': state.updateProject(operation.projectKey, operation.patch); return undefined;
    case 'archiveProject': state.archiveProject(operation.projectKey); return undefined;
    case 'restoreArchivedProject': state.restoreArchivedProject(operation.projectKey); return undefined;
    case 'softDeleteProject': state.softDeleteProject(operation.projectKey); return undefined;
    case 'restoreProject': state.restoreProject(operation.projectKey); return undefined;
    case 'purgeProject': state.deleteProject(operation.projectKey); return undefined;
    case 'createIssue': return state.createIssue(operation.input).id;
    case 'updateIssue': state.updateIssue(operation.issueId, operation.patch); return undefined;
    case 'moveIssue': state.moveIssue(operation.issueId, operation.projectKey); return undefined;
    case 'deleteIssue': state.deleteIssue(operation.issueId); return undefined;
    case 'addComment': state.addComment(operation.issueId, operation.body, { authorAccountId: operation.authorAccountId }); return undefined;
  }
}

/** Return the `/_sim` admin API request that applies `operation` to a simulator over HTTP. */
export function adminRequestOf(operation: StreamOperation): AdminRequest {
  const project = (key: string): string => `/_sim/projects/${encodeURIComponent(key)}`;
  const issue = (id: string): string => `/_sim/issues/${encodeURIComponent(id)}`;
  const user = (accountId: string): string => `/_sim/users/${encodeURIComponent(accountId)}`;

  switch (operation.op) {
    case 'createUser': return { method: 'POST', path: '/_sim/users', body: operation.input };
    case 'updateUser': return { method: 'PATCH', path: user(operation.accountId), body: operation.patch };
    case 'deactivateUser': return { method: 'DELETE', path: `${user(operation.accountId)}?mode=inactive` };
    case 'createProject': return { method: 'POST', path: '/_sim/projects', body: operation.input };
    case 'updateProject': return { method: 'PATCH', path: project(operation.projectKey), body: operation.patch };
    case 'archiveProject': return { method: 'POST', path: `${project(operation.projectKey)}/archive` };
    case 'restoreArchivedProject': return { method: 'POST', path: `${project(operation.projectKey)}/restore-archived` };
    case 'softDeleteProject': return { method: 'POST', path: `${project(operation.projectKey)}/soft-delete` };
    case 'restoreProject': return { method: 'POST', path: `${project(operation.projectKey)}/restore` };
    case 'purgeProject': return { method: 'DELETE', path: project(operation.projectKey) };
    case 'createIssue': return { method: 'POST', path: '/_sim/issues', body: operation.input };
    case 'updateIssue': return { method: 'PATCH', path: issue(operation.issueId), body: operation.patch };
    case 'moveIssue': return { method: 'POST', path: `${issue(operation.issueId)}/move`, body: { projectKey: operation.projectKey } };
    case 'deleteIssue': return { method: 'DELETE', path: issue(operation.issueId) };
    case 'addComment': return { method: 'POST', path: `${issue(operation.issueId)}/comments`, body: { body: operation.body, authorAccountId: operation.authorAccountId } };
  }
}
