import type { Logger } from '../../core/logger.js';
import type { JiraBoard, JiraIssue, JiraProject, JiraSprint, JiraUser, JiraVersion, JiraWorklog } from '../../jira/types.js';
import { BoardOperations } from './board-operations.js';
import { FaultInjector, type JiraFaults } from './faults.js';
import { IssueOperations } from './issue-operations.js';
import { compileJql } from './jql-evaluator.js';
import type {
  BoardConfigurationPatch, BoardInput, BoardRecord, IssueInput, IssuePatch, JiraSeedData, ProjectInput, ProjectPatch, ProjectRecord, SprintInput,
  SprintPatch, SprintRecord, UserInput, UserPatch, UserRecord, VersionInput, VersionPatch, VersionPosition, VersionRecord, WorklogInput,
  WorklogPatch, WorklogRecord,
} from './model.js';
import { ProjectOperations } from './project-operations.js';
import { renderProject } from './project-representations.js';
import { renderComment, renderIssue, renderUser } from './representations.js';
import { RequestCounter, type RequestCounts } from './request-counts.js';
import { matchIssues } from './search.js';
import { renderBoard, renderSprint, renderVersion, renderWorklog } from './software-representations.js';
import { SprintOperations } from './sprint-operations.js';
import { JiraStore } from './store.js';
import { UserOperations, type UserDeletionMode } from './user-operations.js';
import { VersionOperations } from './version-operations.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookSender, type SentWebhook } from './webhook-sender.js';
import { WorklogOperations } from './worklog-operations.js';

export interface JiraStateOptions {
  readonly logger: Logger;
  /** Target of every webhook event. Must be on the loopback interface. */
  readonly webhook?: { readonly url: string; readonly secret?: string } | undefined;
  /** Faults in force from the start and after `reset()`. */
  readonly faults: JiraFaults;
  /** Pause between webhook delivery attempts, in ms (default 200). */
  readonly webhookRetryDelayMs?: number | undefined;
  /** Time allowed for one webhook delivery attempt, in ms (default 10 000). */
  readonly webhookTimeoutMs?: number | undefined;
}

/**
 * The simulated Jira site, in process. Every mutation sends the webhooks
 * Jira Cloud sends for it (when a target is set) and returns the changed
 * object in its REST v3 shape. The `/_sim` admin API calls the same methods.
 */
export class JiraState {
  /** @internal The data, for the HTTP layer. */
  readonly store = new JiraStore();
  /** @internal */
  readonly faultInjector: FaultInjector;
  /** @internal */
  readonly counter = new RequestCounter();
  /** @internal */
  readonly dispatcher: WebhookDispatcher;
  private readonly sender: WebhookSender;
  private readonly projectOperations: ProjectOperations;
  private readonly issueOperations: IssueOperations;
  private readonly userOperations: UserOperations;
  private readonly versionOperations: VersionOperations;
  private readonly boardOperations: BoardOperations;
  private readonly sprintOperations: SprintOperations;
  private readonly worklogOperations: WorklogOperations;

  constructor(private readonly options: JiraStateOptions) {
    this.faultInjector = new FaultInjector(options.faults);
    this.store.index.retainFor(this.faultInjector.indexLagMs());
    this.sender = new WebhookSender({
      logger: options.logger,
      ...(options.webhookRetryDelayMs === undefined ? {} : { retryDelayMs: options.webhookRetryDelayMs }),
      ...(options.webhookTimeoutMs === undefined ? {} : { timeoutMs: options.webhookTimeoutMs }),
    });
    this.dispatcher = new WebhookDispatcher(this.store, this.sender, options.logger);
    this.dispatcher.setTarget(options.webhook ?? null);
    this.projectOperations = new ProjectOperations(this.store, this.dispatcher);
    this.issueOperations = new IssueOperations(this.store, this.dispatcher);
    this.userOperations = new UserOperations(this.store, this.dispatcher);
    this.versionOperations = new VersionOperations(this.store, this.dispatcher);
    this.boardOperations = new BoardOperations(this.store, this.dispatcher);
    this.sprintOperations = new SprintOperations(this.store, this.dispatcher);
    this.worklogOperations = new WorklogOperations(this.store, this.dispatcher);
  }

  /** Adds users, then projects, then issues, without webhooks. Loaded issues are searchable at once, whatever the index lag. */
  load(data: JiraSeedData): { users: number; projects: number; issues: number } {
    for (const user of data.users ?? []) this.userOperations.create(user, false);
    for (const project of data.projects ?? []) this.projectOperations.create(project, false);
    for (const issue of data.issues ?? []) this.issueOperations.create(issue, false);
    return { users: data.users?.length ?? 0, projects: data.projects?.length ?? 0, issues: data.issues?.length ?? 0 };
  }

  /**
   * Returns the simulator to its state after start: no data, no registered
   * webhooks, an empty delivery log and request counts, the start options'
   * faults and webhook target. Deliveries in flight keep going.
   */
  reset(): void {
    this.store.clear();
    this.dispatcher.registry.clear();
    this.dispatcher.setTarget(this.options.webhook ?? null);
    this.sender.clearLog();
    this.counter.reset();
    this.setFaults(this.options.faults);
  }

  createProject(input: ProjectInput): JiraProject {
    return this.project(this.projectOperations.create(input));
  }

  updateProject(idOrKey: string, patch: ProjectPatch): JiraProject {
    return this.project(this.projectOperations.update(idOrKey, patch));
  }

  softDeleteProject(idOrKey: string): JiraProject {
    return this.project(this.projectOperations.softDelete(idOrKey));
  }

  restoreProject(idOrKey: string): JiraProject {
    return this.project(this.projectOperations.restore(idOrKey));
  }

  archiveProject(idOrKey: string): JiraProject {
    return this.project(this.projectOperations.archive(idOrKey));
  }

  restoreArchivedProject(idOrKey: string): JiraProject {
    return this.project(this.projectOperations.restoreArchived(idOrKey));
  }

  /** Purges the project and its issues. Returns the project as it was. */
  deleteProject(idOrKey: string): JiraProject {
    return this.project(this.projectOperations.purge(idOrKey));
  }

  createIssue(input: IssueInput): JiraIssue {
    return this.issue(this.issueOperations.create(input));
  }

  updateIssue(idOrKey: string, patch: IssuePatch): JiraIssue {
    return this.issue(this.issueOperations.update(idOrKey, patch));
  }

  moveIssue(idOrKey: string, targetProjectKey: string): JiraIssue {
    return this.issue(this.issueOperations.move(idOrKey, targetProjectKey));
  }

  /** Deletes the issue (and its sub-tasks). Returns the issue as it was. */
  deleteIssue(idOrKey: string): JiraIssue {
    const issue = this.issue(this.store.resolveIssue(idOrKey));
    this.issueOperations.delete(idOrKey);
    return issue;
  }

  /** Adds a comment and returns it in the REST v3 shape (body as ADF). */
  addComment(issueIdOrKey: string, body: string, options: { authorAccountId?: string } = {}): Record<string, unknown> {
    const { issue, comment } = this.issueOperations.addComment(issueIdOrKey, body, options.authorAccountId);
    return renderComment(this.store, issue.id, comment, 'v3');
  }

  createUser(input: UserInput): JiraUser {
    return this.user(this.userOperations.create(input));
  }

  updateUser(accountId: string, patch: UserPatch): JiraUser {
    return this.user(this.userOperations.update(accountId, patch));
  }

  /** Deletes (`404`, the default) or deactivates (`inactive`) the user. Returns it with `active: false`. */
  deleteUser(accountId: string, options: { mode?: UserDeletionMode } = {}): JiraUser {
    return this.user(this.userOperations.delete(accountId, options.mode ?? '404'));
  }

  createVersion(input: VersionInput): JiraVersion {
    return this.version(this.versionOperations.create(input));
  }

  updateVersion(id: string, patch: VersionPatch): JiraVersion {
    return this.version(this.versionOperations.update(id, patch));
  }

  /** Releases the version; `releaseDate` (`YYYY-MM-DD`) defaults to the one set, or today. */
  releaseVersion(id: string, options: { releaseDate?: string } = {}): JiraVersion {
    return this.version(this.versionOperations.release(id, options.releaseDate));
  }

  unreleaseVersion(id: string): JiraVersion {
    return this.version(this.versionOperations.unrelease(id));
  }

  moveVersion(id: string, position: VersionPosition): JiraVersion {
    return this.version(this.versionOperations.move(id, position));
  }

  /** Deletes the version (`jira:version_deleted`). Returns it as it was. */
  deleteVersion(id: string): JiraVersion {
    const version = this.version(this.versionOperations.resolve(id));
    this.versionOperations.delete(id);
    return version;
  }

  /** Merges the version into `targetId`: `jira:version_deleted` with `mergedTo`. Returns the target. */
  mergeVersion(id: string, targetId: string): JiraVersion {
    this.versionOperations.delete(id, targetId);
    return this.version(this.versionOperations.resolve(targetId));
  }

  createBoard(input: BoardInput): JiraBoard {
    return this.board(this.boardOperations.create(input));
  }

  updateBoard(id: string, patch: { name?: string }): JiraBoard {
    return this.board(this.boardOperations.update(id, patch));
  }

  changeBoardConfiguration(id: string, patch: BoardConfigurationPatch): JiraBoard {
    return this.board(this.boardOperations.changeConfiguration(id, patch));
  }

  deleteBoard(id: string): JiraBoard {
    return this.board(this.boardOperations.delete(id));
  }

  createSprint(input: SprintInput): JiraSprint {
    return this.sprint(this.sprintOperations.create(input));
  }

  updateSprint(id: string, patch: SprintPatch): JiraSprint {
    return this.sprint(this.sprintOperations.update(id, patch));
  }

  /** Starts a future sprint; `endDate` (ISO-8601) defaults to two weeks from now. */
  startSprint(id: string, options: { endDate?: string } = {}): JiraSprint {
    return this.sprint(this.sprintOperations.start(id, options.endDate));
  }

  closeSprint(id: string): JiraSprint {
    return this.sprint(this.sprintOperations.close(id));
  }

  deleteSprint(id: string): JiraSprint {
    return this.sprint(this.sprintOperations.delete(id));
  }

  addWorklog(issueIdOrKey: string, input: WorklogInput): JiraWorklog {
    return this.worklog(this.worklogOperations.add(issueIdOrKey, input));
  }

  updateWorklog(issueIdOrKey: string, worklogId: string, patch: WorklogPatch): JiraWorklog {
    return this.worklog(this.worklogOperations.update(issueIdOrKey, worklogId, patch));
  }

  deleteWorklog(issueIdOrKey: string, worklogId: string): JiraWorklog {
    return this.worklog(this.worklogOperations.delete(issueIdOrKey, worklogId));
  }

  /** @internal A version of a project that is not in the trash. Throws `NotFoundError`. */
  resolveVersion(id: string): VersionRecord {
    return this.versionOperations.resolve(id);
  }

  /** @internal */
  resolveBoard(id: string): BoardRecord {
    return this.boardOperations.resolve(id);
  }

  /** @internal */
  resolveSprint(id: string): SprintRecord {
    return this.sprintOperations.resolve(id);
  }

  /** @internal */
  resolveWorklog(issueId: string, worklogId: string): WorklogRecord {
    return this.worklogOperations.resolve(issueId, worklogId);
  }

  /** Returns every version, including those of archived and trashed projects. */
  versions(): JiraVersion[] {
    return [...this.store.versions.values()].map((version) => this.version(version));
  }

  boards(): JiraBoard[] {
    return [...this.store.boards.values()].map((board) => this.board(board));
  }

  sprints(): JiraSprint[] {
    return [...this.store.sprints.values()].map((sprint) => this.sprint(sprint));
  }

  /** Returns every worklog of every issue. */
  worklogs(): JiraWorklog[] {
    return [...this.store.worklogs.values()].map((worklog) => this.worklog(worklog));
  }

  /** Returns every issue with all fields, by id, including the issues of archived and trashed projects. */
  issues(): JiraIssue[] {
    return [...this.store.issues.values()]
      .sort((left, right) => Number(left.id) - Number(right.id))
      .map((issue) => this.issue(issue));
  }

  /** Returns the current (not lagged) result of `jql` over all pages, with all fields. Empty JQL matches every searchable issue. */
  searchAll(jql: string): JiraIssue[] {
    const compiled = compileJql(jql);
    return matchIssues(this.store, compiled, [...this.store.issues.values()]).map((issue) => this.issue(issue));
  }

  /** Returns every project, including archived and trashed ones. */
  projects(): JiraProject[] {
    return [...this.store.projects.values()].map((project) => this.project(project));
  }

  /** Returns every stored user, including inactive ones, but not the built-in actor. */
  users(): JiraUser[] {
    return [...this.store.users.values()].map((user) => this.user(user));
  }

  /** Sets the target of every webhook event (loopback URLs only), or stops sending with null. */
  setWebhook(target: { url: string; secret?: string } | null): void {
    this.dispatcher.setTarget(target);
  }

  /** Resolves when every delivery queued so far got a 2xx, a final error, or ran out of retries. */
  async settled(): Promise<void> {
    await this.sender.settled();
  }

  sentWebhooks(): readonly SentWebhook[] {
    return this.sender.sent();
  }

  /** Replaces every fault setting. Pass `{}` to clear them all. */
  setFaults(faults: JiraFaults): void {
    this.faultInjector.set(faults);
    this.store.index.retainFor(this.faultInjector.indexLagMs());
  }

  faults(): JiraFaults {
    return this.faultInjector.current();
  }

  requestCounts(): RequestCounts {
    return this.counter.snapshot();
  }

  resetRequestCounts(): void {
    this.counter.reset();
  }

  /** @internal Cancels pending webhook deliveries. */
  async close(): Promise<void> {
    await this.sender.close();
  }

  private issue(record: Parameters<typeof renderIssue>[1]): JiraIssue {
    return renderIssue(this.store, record, 'v3') as unknown as JiraIssue;
  }

  private project(record: ProjectRecord): JiraProject {
    return renderProject(this.store, record, new Set(), this.store.insight(record.id)) as unknown as JiraProject;
  }

  private user(record: UserRecord): JiraUser {
    return renderUser(this.store, record) as unknown as JiraUser;
  }

  private version(record: VersionRecord): JiraVersion {
    return renderVersion(this.store, record, 'v3', new Date().toISOString().slice(0, 10)) as unknown as JiraVersion;
  }

  private board(record: BoardRecord): JiraBoard {
    return renderBoard(this.store, record) as unknown as JiraBoard;
  }

  private sprint(record: SprintRecord): JiraSprint {
    return renderSprint(this.store, record) as unknown as JiraSprint;
  }

  private worklog(record: WorklogRecord): JiraWorklog {
    return renderWorklog(this.store, record, 'v3') as unknown as JiraWorklog;
  }
}
