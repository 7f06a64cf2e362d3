import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPortSimulator } from '../../src/simulators/port/index.js';
import { requestJson } from './port-helpers.js';

describe('port simulator auth', async () => {
  const simulator = await startPortSimulator({ clientId: 'id-1', clientSecret: 'secret-1', tokenTtlSeconds: 1 });
  after(() => simulator.close());

  const fetchToken = (clientId: string, clientSecret: string) =>
    requestJson(simulator.url, 'POST', '/v1/auth/access_token', { clientId, clientSecret });
  const listIssues = (token: string) =>
    requestJson(simulator.url, 'GET', '/v1/blueprints/jiraIssue/entities', undefined, { authorization: `Bearer ${token}` });

  it('issues a bearer token', async () => {
    const reply = await fetchToken('id-1', 'secret-1');

    assert.equal(reply.status, 200);
    assert.equal(reply.body.ok, true);
    assert.equal(reply.body.tokenType, 'Bearer');
    assert.equal(reply.body.expiresIn, 1);
    assert.equal(typeof reply.body.accessToken, 'string');
  });

  it('rejects wrong credentials with 401', async () => {
    const reply = await fetchToken('id-1', 'wrong');

    assert.equal(reply.status, 401);
    assert.equal(reply.body.ok, false);
  });

  it('rejects extra body fields with 422', async () => {
    const reply = await requestJson(simulator.url, 'POST', '/v1/auth/access_token', { clientId: 'id-1', clientSecret: 'secret-1', scope: 'x' });

    assert.equal(reply.status, 422);
  });

  it('accepts a fresh token', async () => {
    const { body } = await fetchToken('id-1', 'secret-1');

    const reply = await listIssues(body.accessToken);

    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.entities, []);
  });

  it('rejects a missing token with 401', async () => {
    const reply = await requestJson(simulator.url, 'GET', '/v1/blueprints/jiraIssue/entities');

    assert.equal(reply.status, 401);
  });

  it('rejects a token after its lifetime', async () => {
    const { body } = await fetchToken('id-1', 'secret-1');

    await sleep(1100);
    const reply = await listIssues(body.accessToken);

    assert.equal(reply.status, 401);
    assert.match(reply.body.message, /expired/);
  });

  it('rejects tokens after expireTokens', async () => {
    const { body } = await fetchToken('id-1', 'secret-1');

    simulator.state.expireTokens();
    const reply = await listIssues(body.accessToken);

    assert.equal(reply.status, 401);
  });
});
