/**
 * Typed failures of the Jira client. Each class carries the values a caller
 * needs to decide what to do (method, endpoint template, HTTP status) and a
 * message that names the fix.
 */

/** Details of a Jira REST call that failed. */
export interface JiraRequestErrorDetails {
  /** HTTP method, e.g. `POST`. */
  readonly method: string;
  /** Path template of the endpoint, e.g. `/rest/api/3/search/jql`. */
  readonly endpoint: string;
  /** HTTP status of the last attempt, absent after a network error or timeout. */
  readonly status?: number;
  /** Jira's `errorMessages` from the response body, empty when it sent none. */
  readonly errorMessages?: readonly string[];
  /** Jira's `errors` map (field name to message) from the response body. */
  readonly errors?: Readonly<Record<string, string>>;
  /** Number of attempts made, including the first. */
  readonly attempts: number;
  /** The network error or timeout behind a failure without a status. */
  readonly cause?: unknown;
}

/**
 * A Jira REST call failed: a 4xx other than 408 and 429, or a retryable
 * failure (408, 429, 5xx, network error, timeout) that outlasted the retries.
 */
export class JiraRequestError extends Error {
  readonly method: string;
  readonly endpoint: string;
  readonly status: number | undefined;
  readonly errorMessages: readonly string[];
  readonly errors: Readonly<Record<string, string>>;
  readonly attempts: number;

  constructor(details: JiraRequestErrorDetails, message?: string) {
    super(message ?? describeFailure(details), { cause: details.cause });
    this.name = 'JiraRequestError';
    this.method = details.method;
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.errorMessages = details.errorMessages ?? [];
    this.errors = details.errors ?? {};
    this.attempts = details.attempts;
  }
}

/**
 * Jira rejected the credentials (401) or the account lacks a permission (403).
 * Retrying does not help, so the client raises this after the first attempt.
 */
export class JiraAuthError extends JiraRequestError {
  constructor(details: JiraRequestErrorDetails) {
    super(details, describeAuthFailure(details));
    this.name = 'JiraAuthError';
  }
}

/** An issue or project id passed to the client or to JQL composition is not a numeric Jira id. */
export class InvalidJiraIdError extends Error {
  readonly kind: 'issue' | 'project';
  readonly value: unknown;

  constructor(kind: 'issue' | 'project', value: unknown) {
    super(
      `Invalid Jira ${kind} id ${JSON.stringify(value)}: expected a numeric id such as "10042". ` +
        `Pass the ${kind}'s id, not its key.`,
    );
    this.name = 'InvalidJiraIdError';
    this.kind = kind;
    this.value = value;
  }
}

function describeFailure(details: JiraRequestErrorDetails): string {
  const outcome = details.status === undefined ? 'failed without a response' : `failed with HTTP ${details.status}`;
  const attempts = details.attempts === 1 ? '1 attempt' : `${details.attempts} attempts`;
  const jiraMessages = [...(details.errorMessages ?? []), ...Object.values(details.errors ?? {})];
  const reason = jiraMessages.length > 0 ? `: ${jiraMessages.join('; ')}` : causeText(details.cause);

  return `Jira request ${details.method} ${details.endpoint} ${outcome} after ${attempts}${reason}`;
}

function describeAuthFailure(details: JiraRequestErrorDetails): string {
  const base = describeFailure(details);
  if (details.status === 401) {
    return `${base}. Check the Jira email and API token, or the bearer token, in the connection settings.`;
  }

  return `${base}. The Jira account lacks the permission this call needs; grant it (Administer Jira for admin webhooks) or use another account.`;
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) {
    return `: ${cause.message}`;
  }

  return '';
}

/**
 * The JiraApi in use does not implement an optional call that a processor
 * needs, such as `sprint` for sprint events. JiraClient implements every
 * call; a host's own JiraApi may not.
 */
export class JiraCallUnavailableError extends Error {
  readonly call: string;

  constructor(call: string) {
    super(`The JiraApi in use has no ${call}() method; implement it, or pass Jira settings so that JiraClient is used.`);
    this.name = 'JiraCallUnavailableError';
    this.call = call;
  }
}
