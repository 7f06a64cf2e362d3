/**
 * The Jira webhook events each mapping kind needs. A registered webhook
 * subscribes to the union for the kinds of the mapping, so Jira sends no
 * event the pipeline would only ignore. Event names are those of Jira
 * Cloud's admin webhooks (developer.atlassian.com, "Webhooks", available
 * events).
 */

const ISSUE_EVENTS = ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted'];
const COMMENT_EVENTS = ['comment_created', 'comment_updated', 'comment_deleted'];
const WORKLOG_EVENTS = ['worklog_created', 'worklog_updated', 'worklog_deleted'];
const PROJECT_EVENTS = [
  'project_created', 'project_updated', 'project_deleted', 'project_soft_deleted',
  'project_restored_deleted', 'project_archived', 'project_restored_archived',
];
const USER_EVENTS = ['user_created', 'user_updated', 'user_deleted'];
/**
 * `jira:version_merged` is left out: admin webhooks report a merge as
 * `jira:version_deleted` with a `mergedTo` object, and the name appears only
 * in the event list of dynamic (OAuth) webhooks.
 */
const VERSION_EVENTS = [
  'jira:version_created', 'jira:version_updated', 'jira:version_deleted',
  'jira:version_released', 'jira:version_unreleased', 'jira:version_moved',
];
const SPRINT_EVENTS = ['sprint_created', 'sprint_updated', 'sprint_deleted', 'sprint_started', 'sprint_closed'];
const BOARD_EVENTS = ['board_created', 'board_updated', 'board_deleted', 'board_configuration_changed'];

/**
 * Events per kind. Issues also need comment and worklog events (they
 * refresh the parent issue) and the project events after which a project's
 * issues leave or return to Jira search (trash, delete, archive, restore).
 */
export const WEBHOOK_EVENTS_BY_KIND: Readonly<Record<string, readonly string[]>> = {
  issue: [
    ...ISSUE_EVENTS, ...COMMENT_EVENTS, ...WORKLOG_EVENTS,
    'project_deleted', 'project_soft_deleted', 'project_archived', 'project_restored_deleted', 'project_restored_archived',
  ],
  project: PROJECT_EVENTS,
  user: USER_EVENTS,
  release: VERSION_EVENTS,
  sprint: SPRINT_EVENTS,
  board: BOARD_EVENTS,
  worklog: WORKLOG_EVENTS,
};

/** Returns the events the given mapping kinds need, sorted and without repeats. Kinds without an entry add none. */
export function webhookEventsFor(kinds: Iterable<string>): string[] {
  const events = new Set<string>();
  for (const kind of kinds) {
    for (const event of WEBHOOK_EVENTS_BY_KIND[kind] ?? []) events.add(event);
  }
  return [...events].sort();
}

/** Returns the mapping kinds without an entry, whose events the registered webhook does not subscribe to. */
export function kindsWithoutEvents(kinds: Iterable<string>): string[] {
  return [...new Set(kinds)].filter((kind) => WEBHOOK_EVENTS_BY_KIND[kind] === undefined);
}
