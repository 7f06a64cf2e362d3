import assert from 'node:assert/strict';
import * as t from 'io-ts';
import { describe, test } from 'node:test';
import { closestKey, dottedKeys, findUnknownKeys, keyTreeOf } from '../../src/config/unknown-keys.js';

const Codec = t.exact(t.type({
  server: t.union([t.undefined, t.exact(t.partial({ host: t.string, port: t.number }))]),
  name: t.string,
}));

describe('closestKey', () => {
  test('one substitution', () => {
    assert.equal(closestKey('hast', ['host', 'port']), 'host');
  });

  test('swapped letters', () => {
    assert.equal(closestKey('prot', ['host', 'port']), 'port');
  });

  test('letter case only', () => {
    assert.equal(closestKey('PublicURL', ['publicUrl', 'name']), 'publicUrl');
  });

  test('nothing near', () => {
    assert.equal(closestKey('colour', ['host', 'port']), undefined);
  });
});

describe('keyTreeOf', () => {
  test('reads sections through unions', () => {
    assert.deepEqual(keyTreeOf(Codec), { server: { host: null, port: null }, name: null });
  });

  test('dotted keys', () => {
    assert.deepEqual(dottedKeys(keyTreeOf(Codec)), ['server', 'server.host', 'server.port', 'name']);
  });
});

describe('findUnknownKeys', () => {
  test('known keys pass', () => {
    assert.deepEqual(findUnknownKeys({ server: { host: 'h' }, name: 'n' }, keyTreeOf(Codec)), []);
  });

  test('skipped keys are left out', () => {
    assert.deepEqual(findUnknownKeys({ server: { secret: 's' } }, keyTreeOf(Codec), new Set(['server.secret'])), []);
  });

  test('nested unknown key', () => {
    const [problem] = findUnknownKeys({ server: { hots: 'h' } }, keyTreeOf(Codec));

    assert.equal(problem?.key, 'server.hots');
    assert.equal(problem?.fix, 'did you mean "server.host"? Rename the key');
  });
});
