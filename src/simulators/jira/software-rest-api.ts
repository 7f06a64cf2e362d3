import { InvalidInputError, NotFoundError } from './errors.js';
import type { IssueRecord, UserRecord } from './model.js';
import { renderUser } from './representations.js';
import type { Router, SimRequest, SimResponse } from './router.js';
import { renderBoard, renderBoardProjects, renderSprint, renderVersion, renderWorklog } from './software-representations.js';
import type { JiraState } from './state.js';
import { renderDataCenterUser } from './webhook-bodies.js';

/** Default and maximum page size of the Jira Software list endpoints. */
const AGILE_MAX_RESULTS = 50;

const ok = (body: unknown): SimResponse => ({ status: 200, body });

/**
 * Adds the REST endpoints behind the release, sprint, board, worklog and
 * Data Center user processors: versions, the Jira Software board and sprint
 * endpoints, worklogs, and the Data Center user lookup by key or username.
 */
export function addSoftwareRoutes(router: Router, state: JiraState): void {
  const param = (request: SimRequest, name: string): string => request.params[name] ?? '';
  router
    .add('GET', '/rest/api/3/version/{id}', (request) => ok(renderVersion(state.store, state.resolveVersion(param(request, 'id')), 'v3', today())))
    .add('GET', '/rest/agile/1.0/sprint/{sprintId}', (request) => ok(renderSprint(state.store, state.resolveSprint(param(request, 'sprintId')))))
    .add('GET', '/rest/agile/1.0/board/{boardId}', (request) => ok(renderBoard(state.store, state.resolveBoard(param(request, 'boardId')))))
    .add('GET', '/rest/agile/1.0/board/{boardId}/project', (request) => boardProjects(state, request))
    .add('GET', '/rest/api/3/issue/{issueIdOrKey}/worklog', (request) => worklogPage(state, request))
    .add('GET', '/rest/api/3/issue/{issueIdOrKey}/worklog/{id}', (request) => {
      const issue = visibleIssue(state, param(request, 'issueIdOrKey'));
      return ok(renderWorklog(state.store, state.resolveWorklog(issue.id, param(request, 'id')), 'v3'));
    })
    .add('GET', '/rest/api/2/user', (request) => ok(dataCenterUser(state, request)));
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Reads `startAt` and `maxResults`: whole numbers, `maxResults` capped at `cap`. */
function paging(request: SimRequest, cap: number): { startAt: number; maxResults: number } {
  const startAt = Number(request.query.get('startAt') ?? 0);
  const maxResults = Number(request.query.get('maxResults') ?? cap);
  if (!Number.isInteger(startAt) || startAt < 0 || !Number.isInteger(maxResults) || maxResults < 1) {
    throw new InvalidInputError(`Invalid paging startAt=${request.query.get('startAt')} maxResults=${request.query.get('maxResults')}; use whole numbers, maxResults at least 1.`);
  }
  return { startAt, maxResults: Math.min(maxResults, cap) };
}

function boardProjects(state: JiraState, request: SimRequest): SimResponse {
  const board = state.resolveBoard(request.params['boardId'] ?? '');
  const { startAt, maxResults } = paging(request, AGILE_MAX_RESULTS);
  return ok(renderBoardProjects(state.store, board, startAt, maxResults));
}

/** Resolves the issue, or throws 404 when its project is in the trash, as `GET /issue` does. */
function visibleIssue(state: JiraState, idOrKey: string): IssueRecord {
  const issue = state.store.resolveIssue(idOrKey);
  if (state.store.findProjectById(issue.projectId)?.deletedAt !== null) {
    throw new NotFoundError('issue', idOrKey, 'Issue does not exist or you do not have permission to see it.');
  }
  return issue;
}

/** Builds one page of the issue's worklogs, oldest first, for `GET /issue/{id}/worklog`. */
function worklogPage(state: JiraState, request: SimRequest): SimResponse {
  const issue = visibleIssue(state, request.params['issueIdOrKey'] ?? '');
  const { startAt, maxResults } = paging(request, 5000);
  const worklogs = [...state.store.worklogs.values()].filter((worklog) => worklog.issueId === issue.id);
  const page = worklogs.slice(startAt, startAt + maxResults).map((worklog) => renderWorklog(state.store, worklog, 'v3'));
  return ok({ startAt, maxResults, total: worklogs.length, worklogs: page });
}

/**
 * `GET /rest/api/2/user`: by `key` or `username`, a Data Center user in its
 * Data Center shape; by `accountId`, a Cloud user as `GET /rest/api/3/user` returns it.
 */
function dataCenterUser(state: JiraState, request: SimRequest): Record<string, unknown> {
  const key = request.query.get('key');
  const username = request.query.get('username');
  const accountId = request.query.get('accountId');
  if (accountId) return renderUser(state.store, state.store.resolveUser(accountId));
  if (!key && !username) {
    throw new InvalidInputError('The key, username or accountId query parameter is missing; pass one to name the user.');
  }

  const user: UserRecord | undefined = state.store.findDataCenterUser(key ? { key } : { name: username ?? '' });
  if (user === undefined) {
    throw new NotFoundError('user', key ?? username ?? '', `The user named '${key ?? username}' does not exist.`);
  }
  return { ...renderDataCenterUser(state.store, user), locale: 'en_US', groups: { size: 0, items: [] } };
}
