import { ISSUE_TYPES } from './catalog.js';
import type { ProjectRecord } from './model.js';
import { apiBase, avatarUrls, renderIssueType, renderUserRef, type ApiVersion, type RenderContext } from './representations.js';
import { formatJiraTime } from './time.js';

type Json = Record<string, unknown>;

/** Issue statistics for the `insight` expansion of `GET /rest/api/3/project/{idOrKey}`. */
export interface ProjectInsight {
  readonly totalIssueCount: number;
  /** Epoch ms of the latest `updated` among the project's issues. Null without issues. */
  readonly lastIssueUpdateTime: number | null;
}

function renderCategory(context: RenderContext, project: ProjectRecord, version: ApiVersion): Json | undefined {
  if (project.categoryName === null) return undefined;
  const id = context.namedId('category', project.categoryName);
  return { self: `${apiBase(context, version)}/projectCategory/${id}`, id, name: project.categoryName, description: '' };
}

/**
 * Builds the body of `GET /rest/api/3/project/{idOrKey}`. The `archived`
 * and `deleted` flags and their dates are always present. `insight` and
 * `projectKeys` appear only when expanded.
 */
export function renderProject(context: RenderContext, project: ProjectRecord, expand: ReadonlySet<string>, insight: ProjectInsight): Json {
  const category = renderCategory(context, project, 'v3');
  const retentionTill = project.deletedAt === null ? null : project.deletedAt + 60 * 86_400_000;

  return {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    self: `${apiBase(context, 'v3')}/project/${project.id}`,
    id: project.id,
    key: project.key,
    description: project.description,
    ...(project.leadAccountId === null ? {} : { lead: renderUserRef(context, project.leadAccountId, 'v3') }),
    components: [],
    issueTypes: ISSUE_TYPES.map((issueType) => renderIssueType(context, issueType.id, 'v3')),
    assigneeType: 'UNASSIGNED',
    versions: [],
    name: project.name,
    roles: {},
    avatarUrls: avatarUrls(context, 'project', project.id),
    ...(category === undefined ? {} : { projectCategory: category }),
    projectTypeKey: project.projectTypeKey,
    simplified: false,
    style: 'classic',
    isPrivate: false,
    properties: {},
    archived: project.archivedAt !== null,
    ...(project.archivedAt === null ? {} : { archivedDate: formatJiraTime(project.archivedAt) }),
    deleted: project.deletedAt !== null,
    ...(project.deletedAt === null ? {} : { deletedDate: formatJiraTime(project.deletedAt) }),
    ...(retentionTill === null ? {} : { retentionTillDate: formatJiraTime(retentionTill) }),
    ...(expand.has('projectkeys') ? { projectKeys: [project.key, ...project.previousKeys] } : {}),
    ...(expand.has('insight') ? { insight: renderInsight(insight) } : {}),
  };
}

function renderInsight(insight: ProjectInsight): Json {
  return {
    totalIssueCount: insight.totalIssueCount,
    ...(insight.lastIssueUpdateTime === null ? {} : { lastIssueUpdateTime: formatJiraTime(insight.lastIssueUpdateTime) }),
  };
}

/** Builds the `project` object of `project_*` webhook bodies, where `id` is a number. */
export function renderWebhookProject(context: RenderContext, project: ProjectRecord): Json {
  const category = renderCategory(context, project, 'v2');
  return {
    self: `${apiBase(context, 'v2')}/project/${project.id}`,
    id: Number(project.id),
    key: project.key,
    name: project.name,
    avatarUrls: avatarUrls(context, 'project', project.id),
    ...(project.leadAccountId === null ? {} : { projectLead: renderUserRef(context, project.leadAccountId, 'v2') }),
    assigneeType: 'admin.assignee.type.unassigned',
    ...(category === undefined ? {} : { projectCategory: { ...category, id: Number(category['id']) } }),
  };
}
