/**
 * Errors of the Jira simulator. Each carries the HTTP status the simulator
 * responds with and a Jira-style error body (`errorMessages` plus per-field
 * `errors`), so the same error serves in-process callers and HTTP clients.
 */
export class SimulatorError extends Error {
  readonly status: number;
  readonly errorMessages: readonly string[];
  readonly errors: Readonly<Record<string, string>>;

  constructor(status: number, message: string, errors: Record<string, string> = {}) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.errorMessages = message === '' ? [] : [message];
    this.errors = errors;
  }

  /** Builds the response body Jira sends for this error. */
  toBody(): { errorMessages: readonly string[]; errors: Readonly<Record<string, string>> } {
    return { errorMessages: this.errorMessages, errors: this.errors };
  }
}

/** A request or simulator call whose input is invalid (HTTP 400). */
export class InvalidInputError extends SimulatorError {
  constructor(message: string, errors: Record<string, string> = {}) {
    super(400, message, errors);
  }
}

/** A JQL query that does not parse. `position` is the 0-based character offset of the token at fault. */
export class JqlSyntaxError extends SimulatorError {
  readonly query: string;
  readonly position: number;

  constructor(query: string, detail: string, position: number) {
    super(400, `Error in the JQL Query: ${detail} (line 1, character ${position + 1})`);
    this.query = query;
    this.position = position;
  }
}

/** A JQL query that parses but names an unknown field, function or operator (HTTP 400). */
export class JqlValidationError extends SimulatorError {
  constructor(message: string) {
    super(400, message);
  }
}

/** An issue, project, user or webhook that does not exist or is not visible (HTTP 404). */
export class NotFoundError extends SimulatorError {
  readonly resource: string;
  readonly idOrKey: string;

  constructor(resource: string, idOrKey: string, message: string) {
    super(404, message);
    this.resource = resource;
    this.idOrKey = idOrKey;
  }
}

/** A create or rename that would reuse a key or id that is taken (HTTP 409). */
export class ConflictError extends SimulatorError {
  constructor(message: string) {
    super(409, message);
  }
}

/** A request whose credentials lack a required permission (HTTP 403). */
export class ForbiddenError extends SimulatorError {
  constructor(message: string) {
    super(403, message);
  }
}

/** A request without the configured credentials (HTTP 401). */
export class UnauthorizedError extends SimulatorError {
  constructor() {
    super(401, 'Client must be authenticated to access this resource.');
  }
}
