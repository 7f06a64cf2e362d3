import {
  BoardConfigurationCodec,
  BoardInputCodec,
  BoardPatchCodec,
  ReleaseRequestCodec,
  SprintInputCodec,
  SprintPatchCodec,
  SprintStartCodec,
  VersionInputCodec,
  VersionMergeCodec,
  VersionMoveCodec,
  VersionPatchCodec,
  WorklogInputCodec,
  WorklogPatchCodec,
} from './admin-codecs.js';
import { decodeOrThrow } from './decode.js';
import type { Router, SimRequest, SimResponse } from './router.js';
import type { JiraState } from './state.js';

const ok = (body: unknown): SimResponse => ({ status: 200, body });
const created = (body: unknown): SimResponse => ({ status: 201, body });
const param = (request: SimRequest, name: string): string => request.params[name] ?? '';

/** Adds the `/_sim` routes for versions, boards, sprints and worklogs. Each mirrors a `JiraState` method. */
export function addSoftwareAdminRoutes(router: Router, state: JiraState): void {
  addVersionRoutes(router, state);
  addBoardRoutes(router, state);
  addSprintRoutes(router, state);
  addWorklogRoutes(router, state);
}

function addVersionRoutes(router: Router, state: JiraState): void {
  const id = (request: SimRequest): string => param(request, 'id');
  router
    .add('POST', '/_sim/versions', (request) => created(state.createVersion(decodeOrThrow(VersionInputCodec, request.body, 'version'))))
    .add('PATCH', '/_sim/versions/{id}', (request) => ok(state.updateVersion(id(request), decodeOrThrow(VersionPatchCodec, request.body ?? {}, 'version patch'))))
    .add('POST', '/_sim/versions/{id}/release', (request) => ok(state.releaseVersion(id(request), decodeOrThrow(ReleaseRequestCodec, request.body ?? {}, 'release request'))))
    .add('POST', '/_sim/versions/{id}/unrelease', (request) => ok(state.unreleaseVersion(id(request))))
    .add('POST', '/_sim/versions/{id}/move', (request) => ok(state.moveVersion(id(request), decodeOrThrow(VersionMoveCodec, request.body, 'move request').position)))
    .add('POST', '/_sim/versions/{id}/merge', (request) => ok(state.mergeVersion(id(request), decodeOrThrow(VersionMergeCodec, request.body, 'merge request').into)))
    .add('DELETE', '/_sim/versions/{id}', (request) => ok(state.deleteVersion(id(request))));
}

function addBoardRoutes(router: Router, state: JiraState): void {
  const id = (request: SimRequest): string => param(request, 'id');
  router
    .add('POST', '/_sim/boards', (request) => created(state.createBoard(decodeOrThrow(BoardInputCodec, request.body, 'board'))))
    .add('PATCH', '/_sim/boards/{id}', (request) => ok(state.updateBoard(id(request), decodeOrThrow(BoardPatchCodec, request.body ?? {}, 'board patch'))))
    .add('PUT', '/_sim/boards/{id}/configuration', (request) => ok(state.changeBoardConfiguration(id(request), decodeOrThrow(BoardConfigurationCodec, request.body ?? {}, 'board configuration'))))
    .add('DELETE', '/_sim/boards/{id}', (request) => ok(state.deleteBoard(id(request))));
}

function addSprintRoutes(router: Router, state: JiraState): void {
  const id = (request: SimRequest): string => param(request, 'id');
  router
    .add('POST', '/_sim/sprints', (request) => created(state.createSprint(decodeOrThrow(SprintInputCodec, request.body, 'sprint'))))
    .add('PATCH', '/_sim/sprints/{id}', (request) => ok(state.updateSprint(id(request), decodeOrThrow(SprintPatchCodec, request.body ?? {}, 'sprint patch'))))
    .add('POST', '/_sim/sprints/{id}/start', (request) => ok(state.startSprint(id(request), decodeOrThrow(SprintStartCodec, request.body ?? {}, 'start request'))))
    .add('POST', '/_sim/sprints/{id}/close', (request) => ok(state.closeSprint(id(request))))
    .add('DELETE', '/_sim/sprints/{id}', (request) => ok(state.deleteSprint(id(request))));
}

function addWorklogRoutes(router: Router, state: JiraState): void {
  const issue = (request: SimRequest): string => param(request, 'id');
  const worklog = (request: SimRequest): string => param(request, 'worklogId');
  router
    .add('POST', '/_sim/issues/{id}/worklogs', (request) => created(state.addWorklog(issue(request), decodeOrThrow(WorklogInputCodec, request.body, 'worklog'))))
    .add('PATCH', '/_sim/issues/{id}/worklogs/{worklogId}', (request) =>
      ok(state.updateWorklog(issue(request), worklog(request), decodeOrThrow(WorklogPatchCodec, request.body ?? {}, 'worklog patch'))))
    .add('DELETE', '/_sim/issues/{id}/worklogs/{worklogId}', (request) => ok(state.deleteWorklog(issue(request), worklog(request))));
}
