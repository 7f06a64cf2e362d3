import {
  CommentRequestCodec,
  IssueInputCodec,
  IssuePatchCodec,
  MoveRequestCodec,
  ProjectInputCodec,
  ProjectPatchCodec,
  SeedDataCodec,
  UserInputCodec,
  UserPatchCodec,
  WebhookTargetCodec,
} from './admin-codecs.js';
import { decodeOrThrow } from './decode.js';
import type { JiraFaults } from './faults.js';
import { InvalidInputError } from './errors.js';
import { Router, type SimRequest, type SimResponse } from './router.js';
import type { JiraState } from './state.js';
import { addSoftwareAdminRoutes } from './software-admin-api.js';
import { renderRegisteredWebhook } from './webhook-registry.js';

const ok = (body: unknown): SimResponse => ({ status: 200, body });
const created = (body: unknown): SimResponse => ({ status: 201, body });

/** Builds the router of the `/_sim` admin API, which mirrors the `JiraState` methods with JSON in and out. */
export function createAdminRouter(state: JiraState): Router {
  const router = new Router();
  addDataRoutes(router, state);
  addProjectRoutes(router, state);
  addIssueRoutes(router, state);
  addUserRoutes(router, state);
  addSoftwareAdminRoutes(router, state);
  addControlRoutes(router, state);
  return router;
}

function addDataRoutes(router: Router, state: JiraState): void {
  router
    .add('POST', '/_sim/reset', () => {
      state.reset();
      return ok({ reset: true });
    })
    .add('POST', '/_sim/load', (request) => ok(state.load(decodeOrThrow(SeedDataCodec, request.body, 'load request'))))
    .add('GET', '/_sim/state', () => ok({
      projects: state.projects(),
      issues: state.issues(),
      users: state.users(),
      versions: state.versions(),
      boards: state.boards(),
      sprints: state.sprints(),
      worklogs: state.worklogs(),
      webhooks: state.dispatcher.registry.list().map((webhook) => renderRegisteredWebhook(state.store.baseUrl, webhook)),
      faults: state.faults(),
    }));
}

function addProjectRoutes(router: Router, state: JiraState): void {
  const key = (request: SimRequest): string => request.params['idOrKey'] ?? '';
  router
    .add('POST', '/_sim/projects', (request) => created(state.createProject(decodeOrThrow(ProjectInputCodec, request.body, 'project'))))
    .add('PATCH', '/_sim/projects/{idOrKey}', (request) => ok(state.updateProject(key(request), decodeOrThrow(ProjectPatchCodec, request.body ?? {}, 'project patch'))))
    .add('POST', '/_sim/projects/{idOrKey}/soft-delete', (request) => ok(state.softDeleteProject(key(request))))
    .add('POST', '/_sim/projects/{idOrKey}/restore', (request) => ok(state.restoreProject(key(request))))
    .add('POST', '/_sim/projects/{idOrKey}/archive', (request) => ok(state.archiveProject(key(request))))
    .add('POST', '/_sim/projects/{idOrKey}/restore-archived', (request) => ok(state.restoreArchivedProject(key(request))))
    .add('DELETE', '/_sim/projects/{idOrKey}', (request) => ok(state.deleteProject(key(request))));
}

function addIssueRoutes(router: Router, state: JiraState): void {
  const id = (request: SimRequest): string => request.params['id'] ?? '';
  router
    .add('POST', '/_sim/issues', (request) => created(state.createIssue(decodeOrThrow(IssueInputCodec, request.body, 'issue'))))
    .add('PATCH', '/_sim/issues/{id}', (request) => ok(state.updateIssue(id(request), decodeOrThrow(IssuePatchCodec, request.body ?? {}, 'issue patch'))))
    .add('POST', '/_sim/issues/{id}/move', (request) => {
      const { projectKey } = decodeOrThrow(MoveRequestCodec, request.body, 'move request');
      return ok(state.moveIssue(id(request), projectKey));
    })
    .add('DELETE', '/_sim/issues/{id}', (request) => ok(state.deleteIssue(id(request))))
    .add('POST', '/_sim/issues/{id}/comments', (request) => {
      const comment = decodeOrThrow(CommentRequestCodec, request.body, 'comment');
      const options = comment.authorAccountId === undefined ? {} : { authorAccountId: comment.authorAccountId };
      return created(state.addComment(id(request), comment.body, options));
    });
}

function addUserRoutes(router: Router, state: JiraState): void {
  const accountId = (request: SimRequest): string => request.params['accountId'] ?? '';
  router
    .add('POST', '/_sim/users', (request) => created(state.createUser(decodeOrThrow(UserInputCodec, request.body, 'user'))))
    .add('PATCH', '/_sim/users/{accountId}', (request) => ok(state.updateUser(accountId(request), decodeOrThrow(UserPatchCodec, request.body ?? {}, 'user patch'))))
    .add('DELETE', '/_sim/users/{accountId}', (request) => {
      const mode = request.query.get('mode') ?? '404';
      if (mode !== '404' && mode !== 'inactive') {
        throw new InvalidInputError(`Invalid mode "${mode}"; use mode=404 or mode=inactive.`);
      }
      return ok(state.deleteUser(accountId(request), { mode }));
    });
}

function addControlRoutes(router: Router, state: JiraState): void {
  router
    .add('PUT', '/_sim/webhook', (request) => {
      state.setWebhook(decodeOrThrow(WebhookTargetCodec, request.body ?? null, 'webhook target'));
      return ok({ url: state.dispatcher.target()?.url ?? null });
    })
    .add('GET', '/_sim/settled', async () => {
      await state.settled();
      return ok({ settled: true, sent: state.sentWebhooks().length });
    })
    .add('GET', '/_sim/sent-webhooks', () => ok(state.sentWebhooks()))
    .add('PUT', '/_sim/faults', (request) => {
      state.setFaults((request.body ?? {}) as JiraFaults);
      return ok(state.faults());
    })
    .add('GET', '/_sim/requests', () => ok(state.requestCounts()))
    .add('DELETE', '/_sim/requests', () => {
      state.resetRequestCounts();
      return ok(state.requestCounts());
    });
}
