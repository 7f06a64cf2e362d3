import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signBody, verifySignature } from '../../src/ingress/signature.js';

/** The example from Atlassian's webhook documentation. */
const DOC_SECRET = "It's a Secret to Everybody";
const DOC_BODY = 'Hello World!';
const DOC_SIGNATURE = 'sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9';

describe('signature', () => {
  test('signBody matches documented vector', () => {
    assert.equal(signBody(DOC_SECRET, DOC_BODY), DOC_SIGNATURE);
  });

  test('verify accepts documented vector', () => {
    assert.deepEqual(verifySignature(DOC_SECRET, Buffer.from(DOC_BODY), DOC_SIGNATURE), { ok: true });
  });

  test('verify accepts upper-case hex', () => {
    const upper = `sha256=${DOC_SIGNATURE.slice(7).toUpperCase()}`;

    assert.equal(verifySignature(DOC_SECRET, Buffer.from(DOC_BODY), upper).ok, true);
  });

  test('verify rejects changed body', () => {
    const check = verifySignature(DOC_SECRET, Buffer.from('Hello World?'), DOC_SIGNATURE);

    assert.equal(check.ok, false);
  });

  test('verify rejects wrong secret', () => {
    const check = verifySignature('another secret', Buffer.from(DOC_BODY), DOC_SIGNATURE);

    assert.equal(check.ok, false);
  });

  test('verify rejects missing header', () => {
    const check = verifySignature(DOC_SECRET, Buffer.from(DOC_BODY), undefined);

    assert.equal(check.ok, false);
    assert.match(check.ok ? '' : check.reason, /missing X-Hub-Signature/);
  });

  test('verify rejects empty header', () => {
    assert.equal(verifySignature(DOC_SECRET, Buffer.from(DOC_BODY), '  ').ok, false);
  });

  test('verify rejects unknown method', () => {
    const sha512 = `sha512=${DOC_SIGNATURE.slice(7)}`;

    const check = verifySignature(DOC_SECRET, Buffer.from(DOC_BODY), sha512);

    assert.equal(check.ok, false);
    assert.match(check.ok ? '' : check.reason, /unsupported X-Hub-Signature method "sha512"/);
  });

  test('verify rejects value without method', () => {
    const check = verifySignature(DOC_SECRET, Buffer.from(DOC_BODY), DOC_SIGNATURE.slice(7));

    assert.equal(check.ok, false);
  });

  test('verify rejects truncated digest', () => {
    const check = verifySignature(DOC_SECRET, Buffer.from(DOC_BODY), DOC_SIGNATURE.slice(0, -2));

    assert.equal(check.ok, false);
    assert.match(check.ok ? '' : check.reason, /malformed/);
  });
});
