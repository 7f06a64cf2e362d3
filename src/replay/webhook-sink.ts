import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP server on 127.0.0.1 that responds to every request with 204 and keeps nothing. */
export interface WebhookSink {
  /** Webhook URL to give the Jira simulator, such as `http://127.0.0.1:40123/webhook`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Start a sink for the webhooks the generator's simulator sends. The
 * generator reads the bodies from the simulator's delivery log, so the sink
 * only has to accept them, which keeps the simulator from retrying.
 */
export async function startWebhookSink(): Promise<WebhookSink> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/webhook`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
