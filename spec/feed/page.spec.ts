import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderFeedPage } from '../../src/feed/page-document.js';
import { startFeedServer } from './feed-fixture.js';

describe('feedPageHandler', () => {
  test('page served as HTML', async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());

    const response = await fetch(`${fixture.baseUrl}/?token=abc`);
    const html = await response.text();

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.match(response.headers.get('content-security-policy') ?? '', /connect-src 'self'/);
    assert.match(html, /<tbody id="rows">/);
  });

  test('page loads no external assets', () => {
    const { html } = renderFeedPage('/feed');

    assert.doesNotMatch(html, /<script[^>]+src=/i);
    assert.doesNotMatch(html, /<link/i);
    assert.doesNotMatch(html, /https?:\/\//i);
    assert.doesNotMatch(html, /\bimport\s*\(/);
  });

  test('page csp hashes inline code', () => {
    const { contentSecurityPolicy } = renderFeedPage('/feed');

    assert.match(contentSecurityPolicy, /script-src 'sha256-[A-Za-z0-9+/]+=*'/);
    assert.match(contentSecurityPolicy, /style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    assert.match(contentSecurityPolicy, /default-src 'none'/);
  });

  test('page embeds feed path safely', () => {
    const { html } = renderFeedPage('/feed</script><script>alert(1)</script>');

    assert.equal(html.match(/<\/script>/g)?.length, 2);
    assert.match(html, /\\u003c\/script>/);
  });

  test('head has no body', async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());

    const response = await fetch(`${fixture.baseUrl}/`, { method: 'HEAD' });

    assert.equal(response.status, 200);
    assert.equal(await response.text(), '');
  });

  test('post rejected with 405', async (t) => {
    const fixture = await startFeedServer();
    t.after(() => fixture.close());

    const response = await fetch(`${fixture.baseUrl}/`, { method: 'POST', body: 'x' });
    const body = (await response.json()) as Record<string, unknown>;

    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET, HEAD');
    assert.equal(body['error'], 'method_not_allowed');
  });
});
