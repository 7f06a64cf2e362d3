import { DONE_RESOLUTION, findIssueType, findPriority, findStatus } from './catalog.js';
import type { CommentRecord, IssueRecord, ProjectRecord, UserRecord } from './model.js';
import { formatJiraTime } from './time.js';

/**
 * Builders of the JSON objects Jira returns. `v3` is the REST v3 shape
 * (rich text as Atlassian Document Format, `self` under `/rest/api/3`).
 * `v2` is the shape webhook bodies carry (rich text as plain strings,
 * `self` under `/rest/api/2`).
 */
export type ApiVersion = 'v2' | 'v3';

/** Read access to the state that the builders need to resolve references. */
export interface RenderContext {
  readonly baseUrl: string;
  findUser(accountId: string): UserRecord | undefined;
  findProjectById(id: string): ProjectRecord | undefined;
  findIssueById(id: string): IssueRecord | undefined;
  subtasksOf(issueId: string): readonly IssueRecord[];
  /** A stable numeric id for a named component or project category. */
  namedId(kind: 'component' | 'category', name: string): string;
}

type Json = Record<string, unknown>;

export function apiBase(context: RenderContext, version: ApiVersion): string {
  return `${context.baseUrl}/rest/api/${version === 'v3' ? '3' : '2'}`;
}

/** Wraps plain text in an Atlassian Document Format document, one paragraph per blank-line block. */
export function toAdf(text: string): Json {
  const paragraphs = text.split(/\n{2,}/).filter((paragraph) => paragraph !== '');
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((paragraph) => ({ type: 'paragraph', content: [{ type: 'text', text: paragraph }] })),
  };
}

function richText(text: string | null, version: ApiVersion): unknown {
  if (text === null) return null;
  return version === 'v3' ? toAdf(text) : text;
}

export function avatarUrls(context: RenderContext, type: 'user' | 'project', id: string): Json {
  const base = `${context.baseUrl}/rest/api/3/universal_avatar/view/type/${type}/avatar/${encodeURIComponent(id)}`;
  return { '48x48': base, '24x24': `${base}?size=small`, '16x16': `${base}?size=xsmall`, '32x32': `${base}?size=medium` };
}

/**
 * Builds a user reference as issues, comments and webhooks embed it. A user
 * deleted with mode "404" still appears, as Jira shows "Former user".
 */
export function renderUserRef(context: RenderContext, accountId: string, version: ApiVersion): Json {
  const user = context.findUser(accountId);
  return {
    self: `${apiBase(context, version)}/user?accountId=${encodeURIComponent(accountId)}`,
    accountId,
    avatarUrls: avatarUrls(context, 'user', accountId),
    displayName: user?.displayName ?? 'Former user',
    active: user?.active ?? false,
    timeZone: user?.timeZone ?? 'UTC',
    accountType: user?.accountType ?? 'atlassian',
  };
}

function optionalUserRef(context: RenderContext, accountId: string | null, version: ApiVersion): Json | null {
  return accountId === null ? null : renderUserRef(context, accountId, version);
}

/** Builds the body of `GET /rest/api/3/user`: the user reference plus email, locale and groups. */
export function renderUser(context: RenderContext, user: UserRecord): Json {
  return {
    ...renderUserRef(context, user.accountId, 'v3'),
    ...(user.emailAddress === null ? {} : { emailAddress: user.emailAddress }),
    locale: 'en_US',
    groups: { size: 0, items: [] },
    applicationRoles: { size: 0, items: [] },
    expand: 'groups,applicationRoles',
  };
}

export function renderStatus(context: RenderContext, statusId: string, version: ApiVersion): Json {
  const status = findStatus(statusId);
  const base = apiBase(context, version);
  return {
    self: `${base}/status/${status.id}`,
    description: '',
    iconUrl: `${context.baseUrl}/`,
    name: status.name,
    id: status.id,
    statusCategory: {
      self: `${base}/statuscategory/${status.category.id}`,
      id: status.category.id,
      key: status.category.key,
      colorName: status.category.colorName,
      name: status.category.name,
    },
  };
}

export function renderIssueType(context: RenderContext, issueTypeId: string, version: ApiVersion): Json {
  const issueType = findIssueType(issueTypeId);
  return {
    self: `${apiBase(context, version)}/issuetype/${issueType.id}`,
    id: issueType.id,
    description: '',
    iconUrl: `${context.baseUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${issueType.id}`,
    name: issueType.name,
    subtask: issueType.subtask,
    hierarchyLevel: issueType.hierarchyLevel,
  };
}

export function renderPriority(context: RenderContext, priorityId: string, version: ApiVersion): Json {
  const priority = findPriority(priorityId);
  return {
    self: `${apiBase(context, version)}/priority/${priority.id}`,
    iconUrl: `${context.baseUrl}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
    name: priority.name,
    id: priority.id,
  };
}

/** Builds the project reference embedded in an issue's `project` field. */
export function renderProjectRef(context: RenderContext, project: ProjectRecord, version: ApiVersion): Json {
  return {
    self: `${apiBase(context, version)}/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: project.projectTypeKey,
    simplified: false,
    avatarUrls: avatarUrls(context, 'project', project.id),
  };
}

/** Builds the `parent` field and the `subtasks` entries: id, key, self and four summary fields. */
function renderLinkedIssue(context: RenderContext, issue: IssueRecord, version: ApiVersion): Json {
  return {
    id: issue.id,
    key: issue.key,
    self: `${apiBase(context, version)}/issue/${issue.id}`,
    fields: {
      summary: issue.summary,
      status: renderStatus(context, issue.statusId, version),
      priority: renderPriority(context, issue.priorityId, version),
      issuetype: renderIssueType(context, issue.issueTypeId, version),
    },
  };
}

export function renderComment(context: RenderContext, issueId: string, comment: CommentRecord, version: ApiVersion): Json {
  const author = optionalUserRef(context, comment.authorAccountId, version);
  return {
    self: `${apiBase(context, version)}/issue/${issueId}/comment/${comment.id}`,
    id: comment.id,
    author,
    body: richText(comment.body, version),
    updateAuthor: author,
    created: formatJiraTime(comment.created),
    updated: formatJiraTime(comment.updated),
    jsdPublic: true,
  };
}

function renderComponent(context: RenderContext, name: string, version: ApiVersion): Json {
  const id = context.namedId('component', name);
  return { self: `${apiBase(context, version)}/component/${id}`, id, name };
}

/** Builds every field of an issue. `comment` is the only field outside `*navigable`. */
export function renderIssueFields(context: RenderContext, issue: IssueRecord, version: ApiVersion): Json {
  const project = context.findProjectById(issue.projectId);
  const parent = issue.parentId === null ? undefined : context.findIssueById(issue.parentId);
  const done = findStatus(issue.statusId).category.key === 'done';
  const base = apiBase(context, version);

  return {
    summary: issue.summary,
    description: richText(issue.description, version),
    status: renderStatus(context, issue.statusId, version),
    statuscategorychangedate: formatJiraTime(issue.statusCategoryChangedAt),
    issuetype: renderIssueType(context, issue.issueTypeId, version),
    priority: renderPriority(context, issue.priorityId, version),
    labels: [...issue.labels],
    components: issue.components.map((name) => renderComponent(context, name, version)),
    assignee: optionalUserRef(context, issue.assigneeAccountId, version),
    reporter: optionalUserRef(context, issue.reporterAccountId, version),
    creator: optionalUserRef(context, issue.creatorAccountId, version),
    project: project === undefined ? null : renderProjectRef(context, project, version),
    created: formatJiraTime(issue.created),
    updated: formatJiraTime(issue.updated),
    resolution: done ? { self: `${base}/resolution/${DONE_RESOLUTION.id}`, ...DONE_RESOLUTION } : null,
    resolutiondate: issue.resolutionDate === null ? null : formatJiraTime(issue.resolutionDate),
    ...(parent === undefined ? {} : { parent: renderLinkedIssue(context, parent, version) }),
    subtasks: context.subtasksOf(issue.id).map((subtask) => renderLinkedIssue(context, subtask, version)),
    fixVersions: [],
    versions: [],
    issuelinks: [],
    comment: {
      comments: issue.comments.map((comment) => renderComment(context, issue.id, comment, version)),
      self: `${base}/issue/${issue.id}/comment`,
      maxResults: issue.comments.length,
      total: issue.comments.length,
      startAt: 0,
    },
  };
}

/**
 * Builds an issue with the fields `includeField` admits. Webhook bodies
 * (`v2`) carry the `self` of real Cloud captures, which lacks `/issue/`.
 */
export function renderIssue(
  context: RenderContext,
  issue: IssueRecord,
  version: ApiVersion,
  includeField: (field: string) => boolean = () => true,
): Json {
  const allFields = renderIssueFields(context, issue, version);
  const fields = Object.fromEntries(Object.entries(allFields).filter(([field]) => includeField(field)));
  const self = version === 'v3' ? `${context.baseUrl}/rest/api/3/issue/${issue.id}` : `${context.baseUrl}/rest/api/2/${issue.id}`;
  return { expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations', id: issue.id, self, key: issue.key, fields };
}

/** Builds the reduced issue of `comment_*` webhook bodies: summary, issuetype, project, assignee, priority and status. */
export function renderReducedIssue(context: RenderContext, issue: IssueRecord): Json {
  const reducedFields = new Set(['summary', 'issuetype', 'project', 'assignee', 'priority', 'status']);
  const { id, self, key, fields } = renderIssue(context, issue, 'v2', (field) => reducedFields.has(field));
  return { id, self, key, fields };
}
