import * as t from 'io-ts';
import { decodeOrThrow } from './decode.js';
import { ForbiddenError, InvalidInputError, NotFoundError, SimulatorError } from './errors.js';
import { selectFields } from './field-selection.js';
import { validateJql } from './jql-evaluator.js';
import { renderProject } from './project-representations.js';
import { renderIssue, renderUser } from './representations.js';
import { Router, type SimRequest, type SimResponse } from './router.js';
import { searchJql } from './search.js';
import { addSoftwareRoutes } from './software-rest-api.js';
import type { JiraState } from './state.js';
import { renderRegisteredWebhook } from './webhook-registry.js';

export interface RestApiOptions {
  /** Whether the credentials hold the "Administer Jira" global permission. */
  readonly admin: boolean;
}

const JqlParseRequest = t.type({ queries: t.array(t.string) });

/** Permissions that `GET /rest/api/3/mypermissions` reports. Only ADMINISTER depends on the `admin` option, the others are always granted. */
const PERMISSIONS: Record<string, { id: string; name: string; type: 'GLOBAL' | 'PROJECT' }> = {
  ADMINISTER: { id: '0', name: 'Administer Jira', type: 'GLOBAL' },
  BROWSE_PROJECTS: { id: '10', name: 'Browse Projects', type: 'PROJECT' },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', type: 'PROJECT' },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', type: 'PROJECT' },
};

const REMOVED_SEARCH = 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.';

/** Builds the router of the Jira Cloud REST endpoints the simulator serves. */
export function createRestRouter(state: JiraState, options: RestApiOptions): Router {
  const router = new Router();
  const search = (request: SimRequest): SimResponse => ({
    status: 200,
    body: searchJql(state.store, request.method === 'GET' ? searchQueryToBody(request.query) : request.body ?? {}, state.faultInjector.indexLagMs()),
  });
  const gone = (): SimResponse => ({ status: 410, body: { errorMessages: [REMOVED_SEARCH], errors: {} } });

  router
    .add('POST', '/rest/api/3/search/jql', search)
    .add('GET', '/rest/api/3/search/jql', search)
    .add('GET', '/rest/api/3/search', gone)
    .add('POST', '/rest/api/3/search', gone)
    .add('GET', '/rest/api/2/search', gone)
    .add('POST', '/rest/api/2/search', gone)
    .add('GET', '/rest/api/3/issue/{issueIdOrKey}', (request) => getIssue(state, request))
    .add('GET', '/rest/api/3/project/{projectIdOrKey}', (request) => getProject(state, request))
    .add('GET', '/rest/api/3/user', (request) => getUser(state, request))
    .add('GET', '/rest/api/3/user/bulk', (request) => getUsers(state, request))
    .add('POST', '/rest/api/3/jql/parse', (request) => parseQueries(request))
    .add('GET', '/rest/api/3/mypermissions', (request) => myPermissions(request, options.admin));

  addWebhookRoutes(router, state, options.admin);
  addSoftwareRoutes(router, state);
  return router;
}

/** Converts the query string of `GET /search/jql` to the POST body shape. Lists are comma-separated or repeated. */
function searchQueryToBody(query: URLSearchParams): Record<string, unknown> {
  const list = (name: string): string[] => query.getAll(name).flatMap((value) => value.split(',')).filter((value) => value !== '');
  const body: Record<string, unknown> = {};

  if (query.has('jql')) body['jql'] = query.get('jql');
  if (query.has('nextPageToken')) body['nextPageToken'] = query.get('nextPageToken');
  if (query.has('maxResults')) body['maxResults'] = Number(query.get('maxResults'));
  if (query.has('fields')) body['fields'] = list('fields');
  if (query.has('expand')) body['expand'] = query.get('expand');
  if (query.has('reconcileIssues')) body['reconcileIssues'] = list('reconcileIssues').map(Number);
  return body;
}

/** `GET /issue/{idOrKey}`: old keys resolve to the moved issue. Issues of trashed projects are 404. */
function getIssue(state: JiraState, request: SimRequest): SimResponse {
  const idOrKey = request.params['issueIdOrKey'] ?? '';
  const issue = state.store.resolveIssue(idOrKey);
  if (state.store.findProjectById(issue.projectId)?.deletedAt !== null) {
    throw new NotFoundError('issue', idOrKey, 'Issue does not exist or you do not have permission to see it.');
  }

  const requested = request.query.getAll('fields');
  const selection = selectFields(requested, '*all');
  return { status: 200, body: renderIssue(state.store, issue, 'v3', (field) => selection.includes(field)) };
}

/** `GET /project/{idOrKey}`: trashed projects are 404. Archived ones are 200 with `archived: true`. */
function getProject(state: JiraState, request: SimRequest): SimResponse {
  const idOrKey = request.params['projectIdOrKey'] ?? '';
  const project = state.store.resolveProject(idOrKey);
  if (project.deletedAt !== null) {
    throw new NotFoundError('project', idOrKey, `No project could be found with key or id '${idOrKey}'.`);
  }

  const expand = new Set((request.query.get('expand') ?? '').split(',').map((value) => value.trim().toLowerCase()));
  return { status: 200, body: renderProject(state.store, project, expand, state.store.insight(project.id)) };
}

function getUser(state: JiraState, request: SimRequest): SimResponse {
  const accountId = request.query.get('accountId');
  if (accountId === null || accountId === '') {
    throw new InvalidInputError('The accountId query parameter is missing; pass the account ID of the user to return.');
  }
  return { status: 200, body: renderUser(state.store, state.store.resolveUser(accountId)) };
}

/** `GET /user/bulk`: a page of the known users among the `accountId` values. Unknown ids are left out. */
function getUsers(state: JiraState, request: SimRequest): SimResponse {
  const accountIds = request.query.getAll('accountId');
  if (accountIds.length === 0) {
    throw new InvalidInputError('At least one accountId query parameter is required.');
  }

  const startAt = Number(request.query.get('startAt') ?? 0);
  const maxResults = Number(request.query.get('maxResults') ?? 10);
  const users = accountIds.flatMap((accountId) => {
    const user = state.store.findUser(accountId);
    return user === undefined ? [] : [renderUser(state.store, user)];
  });
  const values = users.slice(startAt, startAt + maxResults);
  return {
    status: 200,
    body: { maxResults, startAt, total: users.length, isLast: startAt + values.length >= users.length, values },
  };
}

function parseQueries(request: SimRequest): SimResponse {
  const { queries } = decodeOrThrow(JqlParseRequest, request.body, 'JQL parse request');
  return { status: 200, body: { queries: queries.map((query) => ({ query, errors: validateJql(query) })) } };
}

function myPermissions(request: SimRequest, admin: boolean): SimResponse {
  const keys = (request.query.get('permissions') ?? '').split(',').map((key) => key.trim()).filter((key) => key !== '');
  if (keys.length === 0) {
    throw new InvalidInputError('The permissions query parameter is required, for example permissions=ADMINISTER.');
  }

  const permissions: Record<string, unknown> = {};
  for (const key of keys) {
    const permission = PERMISSIONS[key];
    if (permission === undefined) throw new SimulatorError(400, `The permission '${key}' does not exist.`);
    permissions[key] = { ...permission, key, description: '', havePermission: key === 'ADMINISTER' ? admin : true };
  }
  return { status: 200, body: { permissions } };
}

/** Admin webhook registration. Every call needs the "Administer Jira" permission. */
function addWebhookRoutes(router: Router, state: JiraState, admin: boolean): void {
  const registry = state.dispatcher.registry;
  const render = (webhook: Parameters<typeof renderRegisteredWebhook>[1]): Record<string, unknown> =>
    renderRegisteredWebhook(state.store.baseUrl, webhook);
  const requireAdmin = (handler: (request: SimRequest) => SimResponse) => (request: SimRequest): SimResponse => {
    if (!admin) throw new ForbiddenError('Managing webhooks requires the Administer Jira global permission.');
    return handler(request);
  };
  const webhookId = (request: SimRequest): number => Number(request.params['id']);

  router
    .add('GET', '/rest/webhooks/1.0/webhook', requireAdmin(() => ({ status: 200, body: registry.list().map(render) })))
    .add('POST', '/rest/webhooks/1.0/webhook', requireAdmin((request) => ({ status: 201, body: render(registry.register(request.body)) })))
    .add('GET', '/rest/webhooks/1.0/webhook/{id}', requireAdmin((request) => ({ status: 200, body: render(registry.get(webhookId(request))) })))
    .add('PUT', '/rest/webhooks/1.0/webhook/{id}', requireAdmin((request) => ({ status: 200, body: render(registry.update(webhookId(request), request.body)) })))
    .add('DELETE', '/rest/webhooks/1.0/webhook/{id}', requireAdmin((request) => {
      registry.remove(webhookId(request));
      return { status: 204 };
    }));
}
