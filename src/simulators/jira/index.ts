/**
 * A Jira Cloud simulator for tests and benchmarks. It is a real HTTP server
 * on loopback with the REST endpoints a webhook consumer calls and a JQL
 * subset. It lags its search index, sends signed webhooks with Jira's retry
 * rule, injects faults and rate limits, and has a `/_sim` admin API.
 */
export { startJiraSimulator, type JiraSimulator, type JiraSimulatorOptions } from './server.js';
export { JiraState, type JiraStateOptions } from './state.js';
export type { JiraFaults, InjectedResponse } from './faults.js';
export type { RequestCounts } from './request-counts.js';
export type { SentWebhook, WebhookAttempt } from './webhook-sender.js';
export type { JiraCredentials } from './auth.js';
export type { UserDeletionMode } from './user-operations.js';
export type {
  BoardConfigurationPatch,
  BoardInput,
  BoardType,
  IssueInput,
  IssuePatch,
  JiraSeedData,
  ProjectInput,
  ProjectPatch,
  SprintInput,
  SprintPatch,
  SprintState,
  UserInput,
  UserPatch,
  VersionInput,
  VersionPatch,
  VersionPosition,
  WorklogInput,
  WorklogPatch,
} from './model.js';
export { SIMULATOR_ACTOR_ACCOUNT_ID } from './webhook-bodies.js';
export { parseJql, type JqlQuery, type JqlExpression } from './jql-parser.js';
export { compileJql, validateJql, type CompiledJql } from './jql-evaluator.js';
export {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  JqlSyntaxError,
  JqlValidationError,
  NotFoundError,
  SimulatorError,
  UnauthorizedError,
} from './errors.js';
export { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './webhook-receiver.js';
