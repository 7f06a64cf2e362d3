/**
 * Error classes of the webhook ingress. Each HTTP rejection has its own
 * class with the status code and the JSON `error` code sent back, and a
 * message that names the header or value at fault and the fix.
 *
 * Jira Cloud retries 408, 409, 425, 429 and 5xx responses and never retries
 * other 4xx responses, so 4xx is used only for requests that a retry cannot
 * fix.
 */

/** The webhook handler was created with settings that cannot work. */
export class WebhookConfigError extends Error {
  override readonly name = 'WebhookConfigError';

  /** @param settings the configuration keys to change. */
  constructor(
    readonly settings: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

interface RejectionOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** Close the connection after the response, because the rest of the body was not read. */
  readonly closeConnection?: boolean;
  readonly cause?: unknown;
}

/** A request that the ingress rejects with an error status instead of storing it. */
export class WebhookRejection extends Error {
  override readonly name: string = 'WebhookRejection';
  readonly headers: Readonly<Record<string, string>>;
  readonly closeConnection: boolean;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options: RejectionOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.headers = options.headers ?? {};
    this.closeConnection = options.closeConnection ?? false;
  }
}

/** A 503 with `Retry-After`: the request was fine, the service cannot take it now, and Jira retries it. */
abstract class RetryLaterRejection extends WebhookRejection {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(503, code, `${message} Retry after ${retryAfterSeconds} seconds.`, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
      closeConnection: true,
    });
  }
}

/** 503 while other requests' bodies use the memory budget of the ingress. */
export class IngressBusyError extends RetryLaterRejection {
  override readonly name = 'IngressBusyError';

  constructor(retryAfterSeconds: number) {
    super('busy', 'The service is reading too many request bodies at once.', retryAfterSeconds);
  }
}

/** 503 while the service shuts down. */
export class NotAcceptingError extends RetryLaterRejection {
  override readonly name = 'NotAcceptingError';

  constructor(retryAfterSeconds: number) {
    super('not_accepting', 'The service is shutting down and accepts no deliveries.', retryAfterSeconds);
  }
}

export class MethodNotAllowedError extends WebhookRejection {
  override readonly name = 'MethodNotAllowedError';

  constructor(readonly method: string) {
    super(405, 'method_not_allowed', `Method ${method} is not allowed on the webhook endpoint. Send deliveries with POST.`, {
      headers: { Allow: 'POST' },
    });
  }
}

export class UnsupportedMediaTypeError extends WebhookRejection {
  override readonly name = 'UnsupportedMediaTypeError';

  constructor(readonly contentType: string | undefined) {
    const found = contentType === undefined ? 'The Content-Type header is missing' : `Content-Type "${contentType}" is not supported`;
    super(415, 'unsupported_media_type', `${found}. Send the webhook payload with Content-Type: application/json.`);
  }
}

/** 413 from the `Content-Length` header or from the bytes read so far. */
export class PayloadTooLargeError extends WebhookRejection {
  override readonly name = 'PayloadTooLargeError';

  constructor(
    readonly maxBodyBytes: number,
    readonly declaredBytes?: number,
  ) {
    const size = declaredBytes === undefined ? 'The request body' : `Content-Length ${declaredBytes}`;
    super(
      413,
      'payload_too_large',
      `${size} exceeds the limit of ${maxBodyBytes} bytes. Raise the handler's maxBodyBytes if deliveries this large are expected.`,
      { closeConnection: true },
    );
  }
}

/** 408 when the body did not arrive in time (a stalled or deliberately slow sender). */
export class BodyTimeoutError extends WebhookRejection {
  override readonly name = 'BodyTimeoutError';

  constructor(
    readonly timeoutMs: number,
    readonly receivedBytes: number,
  ) {
    super(
      408,
      'request_timeout',
      `The request body timed out after ${timeoutMs} ms with ${receivedBytes} bytes received. Resend the delivery.`,
      { closeConnection: true },
    );
  }
}

/** 401 for a missing, malformed or wrong `X-Hub-Signature`. */
export class SignatureRejectedError extends WebhookRejection {
  override readonly name = 'SignatureRejectedError';

  constructor(
    readonly missing: boolean,
    reason: string,
  ) {
    super(401, missing ? 'missing_signature' : 'invalid_signature', `${reason}.`);
  }
}

/** 400 for a body that is not UTF-8 JSON, or JSON that is not an object. */
export class InvalidPayloadError extends WebhookRejection {
  override readonly name = 'InvalidPayloadError';

  constructor(code: 'invalid_json' | 'invalid_payload', message: string) {
    super(400, code, message);
  }
}

/** 400 for an `X-Atlassian-Webhook-Identifier` that cannot serve as a delivery id. */
export class InvalidDeliveryIdError extends WebhookRejection {
  override readonly name = 'InvalidDeliveryIdError';

  constructor(readonly maxLength: number) {
    super(
      400,
      'invalid_delivery_id',
      `X-Atlassian-Webhook-Identifier is longer than ${maxLength} characters. Send Jira's identifier unchanged or omit the header.`,
    );
  }
}

/** 503 when the event log could not store the delivery. Jira retries it. */
export class EventLogUnavailableError extends WebhookRejection {
  override readonly name = 'EventLogUnavailableError';

  constructor(
    readonly deliveryId: string,
    cause: unknown,
  ) {
    super(503, 'log_unavailable', 'Storing the delivery in the event log failed. Retry later.', {
      headers: { 'Retry-After': '5' },
      cause,
    });
  }
}

/** The client closed the connection before the body was complete, so no response can be sent. */
export class RequestAbortedError extends Error {
  override readonly name = 'RequestAbortedError';

  constructor(
    readonly receivedBytes: number,
    options?: { cause?: unknown },
  ) {
    super(`The client closed the connection after ${receivedBytes} body bytes.`, options);
  }
}
