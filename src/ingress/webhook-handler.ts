import type { IncomingMessage, ServerResponse } from 'node:http';
import { silentLogger, type Logger } from '../core/logger.js';
import type { EventLog } from '../log/event-log.js';
import { checkContentLength, checkContentType, checkMethod } from './check-request.js';
import { checkSignature } from './check-signature.js';
import {
  EventLogUnavailableError,
  NotAcceptingError,
  RequestAbortedError,
  WebhookConfigError,
  WebhookRejection,
} from './errors.js';
import { parsePayload } from './parse-payload.js';
import { BodyBudget } from './body-budget.js';
import { readBody } from './read-body.js';
import { RejectionLog } from './rejection-log.js';
import { sendJson, sendRejection } from './send-json.js';
import { headerValue, toIncomingDelivery } from './to-delivery.js';

/** Jira Cloud drops payloads over 25 MB, so a larger body cannot be a Jira delivery. */
export const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;

export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

/** Default budget of body bytes being read at once: a few maximum-size deliveries. */
export const DEFAULT_MAX_PENDING_BODY_BYTES = 128 * 1024 * 1024;

/** `Retry-After` seconds sent with 503 while the service shuts down. */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 5;

/** The outcome of a stored delivery, as sent back in the response body. */
export interface AcceptedDelivery {
  readonly deliveryId: string;
  readonly offset: number;
  readonly duplicate: boolean;
}

export interface WebhookHandlerOptions {
  readonly log: EventLog;
  /** Shared secret of the Jira webhook. When set, every delivery needs a valid `X-Hub-Signature`. */
  readonly secret?: string;
  /** Accept deliveries without a signature check. Required when no secret is set, and ignored when one is. */
  readonly allowUnsigned?: boolean;
  /** Maximum request body in bytes (default 25 MiB). */
  readonly maxBodyBytes?: number;
  /** Milliseconds allowed to receive the whole body before the handler responds with 408 (default 30 000). */
  readonly bodyTimeoutMs?: number;
  /**
   * Body bytes all requests together may hold while being read and stored
   * (default 128 MiB); above it a request gets 503 with `Retry-After`.
   */
  readonly maxPendingBodyBytes?: number;
  /** Receives rejections, storage failures and accepted deliveries (default: silent). */
  readonly logger?: Logger;
  /** Clock for `receivedAt` and the rejection log (default `Date.now`). */
  readonly now?: () => number;
  /** Called after the response for every stored delivery, duplicates included. */
  readonly onAccepted?: (accepted: AcceptedDelivery) => void;
}

/** The request handler for `POST /integration/webhook`, which the service's router calls. */
export interface WebhookHandler {
  /** Check, store and respond to one request. Never throws, and responds to every request whose client is still connected. */
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** Stop (false) or resume (true) accepting deliveries. While stopped, every request gets 503 with `Retry-After: 5`. */
  setAccepting(accepting: boolean): void;
  /** Resolves once no request is in progress, so that shutdown can close the log after the last append. */
  whenIdle(): Promise<void>;
}

interface HandlerSettings {
  readonly log: EventLog;
  readonly secret: string | undefined;
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
  readonly bodyBudget: BodyBudget;
  readonly logger: Logger;
  readonly now: () => number;
  readonly onAccepted: ((accepted: AcceptedDelivery) => void) | undefined;
  readonly rejections: RejectionLog;
}

/**
 * Create the webhook handler. Each request passes these checks in order, and
 * the first that fails sends its status with `{ error, message }`:
 * accepting (503), method (405), content type (415), declared length (413),
 * body read (413, 408), signature (401), JSON object (400), delivery id (400).
 * A request that passes is appended to the event log and gets 202, or 200
 * when its delivery id was already stored. A failed append gets 503, which
 * Jira retries.
 *
 * Throws `WebhookConfigError` when no secret is set and `allowUnsigned` is not true.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const settings = resolveSettings(options);
  const inFlight = new InFlightRequests();
  let accepting = true;

  return {
    handle(request, response) {
      inFlight.start();
      void receive(request, response, settings, accepting)
        .catch((error: unknown) => respondToFailure(request, response, error, settings))
        .catch((error: unknown) => settings.logger.error({ err: error }, 'sending the webhook error response failed'))
        .finally(() => inFlight.end());
    },
    setAccepting(value) {
      accepting = value;
    },
    whenIdle: () => inFlight.idle(),
  };
}

async function receive(
  request: IncomingMessage,
  response: ServerResponse,
  settings: HandlerSettings,
  accepting: boolean,
): Promise<void> {
  if (!accepting) throw new NotAcceptingError(SHUTDOWN_RETRY_AFTER_SECONDS);
  checkMethod(request);
  checkContentType(request);
  checkContentLength(request, settings.maxBodyBytes);

  const body = await readBody(request, { maxBodyBytes: settings.maxBodyBytes, timeoutMs: settings.bodyTimeoutMs, budget: settings.bodyBudget });
  try {
    await store(request, response, settings, body);
  } finally {
    settings.bodyBudget.release(body.length);
  }
}

async function store(request: IncomingMessage, response: ServerResponse, settings: HandlerSettings, body: Buffer): Promise<void> {
  if (settings.secret !== undefined) {
    checkSignature(settings.secret, body, headerValue(request.headers, 'x-hub-signature'));
  }
  const payload = parsePayload(body);
  const delivery = toIncomingDelivery(request.headers, body, settings.now());

  let accepted: AcceptedDelivery;
  try {
    accepted = { deliveryId: delivery.deliveryId, ...(await settings.log.append(delivery)) };
  } catch (cause) {
    throw new EventLogUnavailableError(delivery.deliveryId, cause);
  }

  sendJson(response, accepted.duplicate ? 200 : 202, accepted);
  const webhookEvent = typeof payload['webhookEvent'] === 'string' ? payload['webhookEvent'] : null;
  const retry = delivery.headers['x-atlassian-webhook-retry'];
  settings.logger.debug({ ...accepted, webhookEvent, retry }, 'delivery accepted');
  notifyAccepted(settings, accepted);
}

/** Send a rejection with its status, log an aborted request, and respond with 500 to any other error. */
function respondToFailure(request: IncomingMessage, response: ServerResponse, error: unknown, settings: HandlerSettings): void {
  const context = { method: request.method, remoteAddress: request.socket.remoteAddress };

  if (error instanceof WebhookRejection) {
    const deliveryId = error instanceof EventLogUnavailableError ? error.deliveryId : undefined;
    settings.rejections.record(error, deliveryId === undefined ? context : { ...context, deliveryId });
    sendRejection(response, error);
    return;
  }
  if (error instanceof RequestAbortedError) {
    settings.rejections.recordAborted(error.receivedBytes, context);
    return;
  }

  settings.logger.error({ ...context, err: error }, 'webhook handler failed');
  sendJson(response, 500, { error: 'internal_error', message: 'The webhook handler failed. Retry later, and check the service logs for the error.' });
}

function notifyAccepted(settings: HandlerSettings, accepted: AcceptedDelivery): void {
  try {
    settings.onAccepted?.(accepted);
  } catch (error) {
    settings.logger.error({ err: error, deliveryId: accepted.deliveryId }, 'onAccepted callback failed');
  }
}

function resolveSettings(options: WebhookHandlerOptions): HandlerSettings {
  const logger = options.logger ?? silentLogger();
  const now = options.now ?? Date.now;
  const secret = options.secret === '' ? undefined : options.secret;

  if (secret === undefined && options.allowUnsigned !== true) {
    throw new WebhookConfigError(
      ['webhook.secret', 'webhook.allowUnsigned'],
      'No webhook secret is configured. Set webhook.secret (or the WEBHOOK_SECRET environment variable) to the secret ' +
        'of the Jira webhook, or set webhook.allowUnsigned to true to accept unsigned deliveries, which anyone who can ' +
        'reach the endpoint can forge.',
    );
  }
  if (secret === undefined) logger.warn('webhook signatures are not checked: no secret is set and webhook.allowUnsigned is true');

  return {
    log: options.log,
    secret,
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    bodyTimeoutMs: positiveInteger('bodyTimeoutMs', options.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS),
    bodyBudget: new BodyBudget(positiveInteger('maxPendingBodyBytes', options.maxPendingBodyBytes, DEFAULT_MAX_PENDING_BODY_BYTES)),
    logger,
    now,
    onAccepted: options.onAccepted,
    rejections: new RejectionLog(logger, now),
  };
}

function positiveInteger(option: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved < 1) {
    throw new WebhookConfigError([option], `Invalid webhook handler option ${option}=${String(value)}: expected a positive integer.`);
  }
  return resolved;
}

/** Counts requests in progress and resolves `idle()` waiters when the count drops to zero. */
class InFlightRequests {
  #count = 0;
  #waiters: Array<() => void> = [];

  start(): void {
    this.#count += 1;
  }

  end(): void {
    this.#count -= 1;
    if (this.#count > 0) return;

    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  idle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
