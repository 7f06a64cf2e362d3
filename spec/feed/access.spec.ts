import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveFeedAccess, tokensEqual } from '../../src/feed/access.js';

describe('feed access', () => {
  test('token mode when token set', () => {
    assert.deepEqual(resolveFeedAccess('abc', undefined), { mode: 'token', token: 'abc' });
    assert.deepEqual(resolveFeedAccess('abc', true), { mode: 'token', token: 'abc' });
  });

  test('anonymous mode needs allowAnonymous', () => {
    assert.deepEqual(resolveFeedAccess(undefined, true), { mode: 'anonymous' });
    assert.deepEqual(resolveFeedAccess('', true), { mode: 'anonymous' });
  });

  test('disabled without token or anonymous', () => {
    assert.deepEqual(resolveFeedAccess(undefined, undefined), { mode: 'disabled' });
    assert.deepEqual(resolveFeedAccess('', false), { mode: 'disabled' });
  });

  test('tokensEqual compares exactly', () => {
    assert.equal(tokensEqual('secret-token', 'secret-token'), true);
    assert.equal(tokensEqual('secret-token', 'secret-tokeN'), false);
    assert.equal(tokensEqual('secret', 'secret-token'), false);
    assert.equal(tokensEqual('', 'secret-token'), false);
  });
});
