import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_FEED_PATH } from './feed-server.js';
import { renderFeedPage } from './page-document.js';

export type FeedPageHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Creates the handler for `GET /` that serves the live page of a feed at
 * `feedPath`. The page takes its token from its own `?token=` and passes it
 * on to the feed, so the response forbids caching and referrers. Methods
 * other than GET and HEAD get 405.
 */
export function createFeedPageHandler(feedPath: string = DEFAULT_FEED_PATH): FeedPageHandler {
  const page = renderFeedPage(feedPath);
  const body = Buffer.from(page.html, 'utf8');

  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const error = JSON.stringify({
        error: 'method_not_allowed',
        message: `Method ${String(request.method)} is not allowed on the live page; use GET.`,
      });
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'application/json; charset=utf-8' });
      response.end(error);
      return;
    }

    response.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': body.byteLength,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': page.contentSecurityPolicy,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
}

/** Serves the live page for the feed at `/feed`. */
export const feedPageHandler: FeedPageHandler = createFeedPageHandler();
