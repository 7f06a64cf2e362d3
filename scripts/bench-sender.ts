import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** A delivery as the sender posts it. */
export interface OutgoingDelivery {
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

export interface SendOptions {
  /** The ingress URL, such as `http://127.0.0.1:8000/integration/webhook`; only loopback URLs are accepted. */
  readonly url: string;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Deliveries per second to offer; undefined sends as fast as the ingress answers. */
  readonly ratePerSecond?: number;
}

export interface SendReport {
  readonly sent: number;
  /** Responses by HTTP status, with `error` for requests that got none. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Epoch ms of the first request. */
  readonly startedAt: number;
  /** Epoch ms after the last response. */
  readonly finishedAt: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Returns the next delivery to send, or undefined when there are no more. */
export type DeliverySource = () => OutgoingDelivery | undefined;

/**
 * Posts every delivery of the source to the ingress with `concurrency`
 * requests in flight, at the offered rate when one is given (delivery i
 * starts no earlier than i / rate seconds after the first), and counts the
 * response statuses. Each delivery is sent once; a failed request is
 * counted, not retried.
 */
export async function sendDeliveries(source: DeliverySource, options: SendOptions): Promise<SendReport> {
  const target = new URL(options.url);
  if (!LOOPBACK_HOSTS.has(target.hostname)) throw new Error(`the benchmark sends only to loopback addresses; ${options.url} is not one`);

  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const statuses: Record<string, number> = {};
  const startedAt = Date.now();
  let sent = 0;

  const worker = async (): Promise<void> => {
    for (;;) {
      const index = sent;
      if (options.ratePerSecond !== undefined) {
        const due = startedAt + (index * 1000) / options.ratePerSecond;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      const delivery = source();
      if (delivery === undefined) return;
      sent++;
      const status = await post(agent, target, delivery);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, worker));
  agent.destroy();
  return { sent, statuses, startedAt, finishedAt: Date.now() };
}

/** Posts one delivery and resolves with the status as text, or `error` when no response came. */
function post(agent: Agent, target: URL, delivery: OutgoingDelivery): Promise<string> {
  return new Promise((resolve) => {
    const outgoing = request(
      target,
      { method: 'POST', agent, headers: { ...delivery.headers, 'content-length': String(delivery.body.length) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(String(response.statusCode ?? 'error')));
        response.on('error', () => resolve('error'));
      },
    );
    outgoing.on('error', () => resolve('error'));
    outgoing.end(delivery.body);
  });
}
