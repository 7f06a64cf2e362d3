import type { BoardRecord, SprintRecord, VersionRecord, WorklogRecord } from './model.js';
import { apiBase, avatarUrls, renderProjectRef, renderUserRef, toAdf, type ApiVersion, type RenderContext } from './representations.js';
import { formatJiraTime } from './time.js';

/**
 * Builders of versions (releases), boards, sprints and worklogs in the
 * shapes Jira returns them. Versions and worklogs come from the platform
 * API (`/rest/api/{2,3}`), boards and sprints from the Jira Software API
 * (`/rest/agile/1.0`), whose ids are numbers and whose dates are ISO-8601
 * in UTC with a `Z`.
 */

type Json = Record<string, unknown>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Formats `YYYY-MM-DD` as Jira's `userReleaseDate` does in English: `1/Dec/26`. */
function userDate(date: string): string {
  const [year = '', month = '1', day = '1'] = date.split('-');
  return `${Number(day)}/${MONTHS[Number(month) - 1] ?? month}/${year.slice(-2)}`;
}

/**
 * Builds a version as GET /rest/api/3/version/{id} returns it (`v3`) or as
 * `jira:version_*` webhooks carry it (`v2`). `projectId` is a number in both.
 * `today` (`YYYY-MM-DD`) decides `overdue`: unreleased with a past release date.
 */
export function renderVersion(context: RenderContext, version: VersionRecord, api: ApiVersion, today: string): Json {
  return {
    self: `${apiBase(context, api)}/version/${version.id}`,
    id: version.id,
    description: version.description,
    name: version.name,
    archived: version.archived,
    released: version.released,
    ...(version.startDate === null ? {} : { startDate: version.startDate, userStartDate: userDate(version.startDate) }),
    ...(version.releaseDate === null ? {} : { releaseDate: version.releaseDate, userReleaseDate: userDate(version.releaseDate) }),
    overdue: !version.released && version.releaseDate !== null && version.releaseDate < today,
    projectId: Number(version.projectId),
  };
}

function isoOrAbsent(name: string, epochMs: number | null): Json {
  return epochMs === null ? {} : { [name]: new Date(epochMs).toISOString() };
}

/** Builds a sprint as GET /rest/agile/1.0/sprint/{id} returns it and `sprint_*` webhooks carry it. */
export function renderSprint(context: RenderContext, sprint: SprintRecord): Json {
  return {
    id: Number(sprint.id),
    self: `${context.baseUrl}/rest/agile/1.0/sprint/${sprint.id}`,
    state: sprint.state,
    name: sprint.name,
    ...isoOrAbsent('startDate', sprint.startDate),
    ...isoOrAbsent('endDate', sprint.endDate),
    ...isoOrAbsent('completeDate', sprint.completeDate),
    createdDate: new Date(sprint.createdDate).toISOString(),
    originBoardId: Number(sprint.boardId),
    goal: sprint.goal,
  };
}

/**
 * Builds a board as GET /rest/agile/1.0/board/{id} returns it and `board_*`
 * webhooks carry it. `location` names the first project of the board's
 * filter while that project exists.
 */
export function renderBoard(context: RenderContext, board: BoardRecord): Json {
  const project = board.projectIds[0] === undefined ? undefined : context.findProjectById(board.projectIds[0]);
  const location = project === undefined ? {} : {
    location: {
      projectId: Number(project.id),
      displayName: `${project.name} (${project.key})`,
      projectName: project.name,
      projectKey: project.key,
      projectTypeKey: project.projectTypeKey,
      avatarURI: avatarUrls(context, 'project', project.id)['48x48'],
      name: project.name,
    },
  };
  return { id: Number(board.id), self: `${context.baseUrl}/rest/agile/1.0/board/${board.id}`, name: board.name, type: board.type, ...location };
}

/**
 * Builds one page of GET /rest/agile/1.0/board/{id}/project: the board's
 * projects that still exist and are not in the trash, as project references.
 */
export function renderBoardProjects(context: RenderContext, board: BoardRecord, startAt: number, maxResults: number): Json {
  const projects = board.projectIds.flatMap((id) => {
    const project = context.findProjectById(id);
    return project === undefined || project.deletedAt !== null ? [] : [renderProjectRef(context, project, 'v3')];
  });
  const values = projects.slice(startAt, startAt + maxResults);
  return { maxResults, startAt, total: projects.length, isLast: startAt + values.length >= projects.length, values };
}

/** Formats seconds as Jira's `timeSpent` does with 8-hour days: `1d 2h 30m`. */
export function formatTimeSpent(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  const parts: Array<[number, string]> = [[Math.floor(minutes / 480), 'd'], [Math.floor((minutes % 480) / 60), 'h'], [minutes % 60, 'm']];
  const text = parts.filter(([value]) => value > 0).map(([value, unit]) => `${value}${unit}`).join(' ');
  return text === '' ? '0m' : text;
}

/** Builds a worklog: `v3` as GET /issue/{id}/worklog/{id} returns it (comment as ADF), `v2` as `worklog_*` webhooks carry it. */
export function renderWorklog(context: RenderContext, worklog: WorklogRecord, api: ApiVersion): Json {
  const author = worklog.authorAccountId === null ? null : renderUserRef(context, worklog.authorAccountId, api);
  return {
    self: `${apiBase(context, api)}/issue/${worklog.issueId}/worklog/${worklog.id}`,
    author,
    updateAuthor: author,
    comment: api === 'v3' ? toAdf(worklog.comment) : worklog.comment,
    created: formatJiraTime(worklog.created),
    updated: formatJiraTime(worklog.updated),
    started: formatJiraTime(worklog.started),
    timeSpent: formatTimeSpent(worklog.timeSpentSeconds),
    timeSpentSeconds: worklog.timeSpentSeconds,
    id: worklog.id,
    issueId: worklog.issueId,
  };
}
