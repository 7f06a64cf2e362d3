/** Details of a Port request that failed after its retries, or that Port rejected as a whole. */
export interface PortRequestErrorDetails {
  /** HTTP status of the last attempt, or 0 when no response arrived (network error or timeout). */
  readonly status: number;
  /** Method and path template, such as `POST /v1/blueprints/{bp}/entities/bulk`. */
  readonly endpoint: string;
  /** Entity identifiers the request carried. Empty for the token request. */
  readonly identifiers: readonly string[];
  /** Port's error code (`not_found`, `request_too_large` ...), or `timeout` or `network_error`. */
  readonly code: string;
  /** Port's error message, when the response had one. */
  readonly portMessage?: string;
  /** Number of attempts made, the first one included. */
  readonly attempts: number;
}

function describeIdentifiers(identifiers: readonly string[]): string {
  if (identifiers.length === 0) {
    return '';
  }
  const sample = identifiers.slice(0, 3).join(', ');
  const more = identifiers.length > 3 ? ` and ${identifiers.length - 3} more` : '';
  return ` for entities ${sample}${more}`;
}

/** A Port request that failed: a non-retryable status, or a retryable failure after the last retry. */
export class PortRequestError extends Error {
  override readonly name: string = 'PortRequestError';
  readonly status: number;
  readonly endpoint: string;
  readonly identifiers: readonly string[];
  readonly code: string;
  readonly portMessage: string | undefined;
  readonly attempts: number;

  constructor(details: PortRequestErrorDetails, options?: ErrorOptions) {
    const status = details.status === 0 ? 'no response' : `status ${details.status}`;
    const reason = details.portMessage ? `${details.code}: ${details.portMessage}` : details.code;
    super(`Port request ${details.endpoint} failed with ${status} (${reason}) after ${details.attempts} attempt(s)${describeIdentifiers(details.identifiers)}`, options);
    this.status = details.status;
    this.endpoint = details.endpoint;
    this.identifiers = details.identifiers;
    this.code = details.code;
    this.portMessage = details.portMessage;
    this.attempts = details.attempts;
  }
}

/**
 * The access token request failed: Port rejected the client id and secret,
 * or the token endpoint kept failing. The message never contains the secret.
 */
export class PortAuthError extends PortRequestError {
  override readonly name: string = 'PortAuthError';

  constructor(details: Omit<PortRequestErrorDetails, 'identifiers'>, options?: ErrorOptions) {
    super({ ...details, identifiers: [] }, options);
    if (details.status === 401 || details.status === 422) {
      this.message = `${this.message}. Check the Port client id and client secret.`;
    }
  }
}
