/**
 * A webhook delivery as the event log stores it: the raw bytes Jira sent and
 * the request headers that authentication and dedupe need.
 */
export interface Delivery {
  /** Position in the event log, assigned on append; strictly increasing. */
  readonly offset: number;
  /**
   * `X-Atlassian-Webhook-Identifier` when Jira sent one (stable across
   * retries), otherwise `sha256:<hex of the raw body>` so that byte-identical
   * retries from Data Center still dedupe.
   */
  readonly deliveryId: string;
  /** Epoch milliseconds at which the ingress (or a host push) accepted it. */
  readonly receivedAt: number;
  /** Lower-cased header names; only the headers listed in `KEPT_HEADERS`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The request body exactly as received; signatures are computed over it. */
  readonly body: Buffer;
}

/** A delivery before the log has assigned its offset. */
export type IncomingDelivery = Omit<Delivery, 'offset'>;

/**
 * Headers kept with a delivery. Everything else (cookies, proxies'
 * `authorization`) is dropped at the ingress so it never reaches the log.
 */
export const KEPT_HEADERS = [
  'content-type',
  'user-agent',
  'x-atlassian-webhook-identifier',
  'x-atlassian-webhook-flow',
  'x-atlassian-webhook-retry',
  'x-atlassian-webhook-trace',
  'x-hub-signature',
] as const;

