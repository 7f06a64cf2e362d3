import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identifiers, startHarness, type Harness } from '../support/harness.js';
import { defaultMappingYaml, fixture, payload, without } from './fixtures.js';

const NEW_USER = '712020:0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

describe('user processor for Cloud users', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  /** Creates the fixture's user under `accountId` and writes it to Port with user_created. */
  const writeUser = async (accountId: string): Promise<void> => {
    h.jira.state.createUser({ accountId, displayName: 'New Example User', emailAddress: 'new@example.com' });
    const result = await h.send(payload('user_created.json', { 'user.accountId': accountId }));
    assert.equal(result.outcome, 'upserted');
  };

  it('created user is upserted', async () => {
    await writeUser(NEW_USER);

    const user = h.port.state.entities('jiraUser').find((entity) => entity.identifier === NEW_USER);
    assert.equal(user?.title, 'New Example User');
    assert.equal(user?.properties['emailAddress'], 'new@example.com');
  });

  it('deleted user with 404 is deleted', async () => {
    await writeUser('u-gone');
    h.jira.state.deleteUser('u-gone', { mode: '404' });

    const result = await h.send(payload('user_deleted.json', { 'user.accountId': 'u-gone' }));

    assert.equal(result.outcome, 'deleted');
    assert.ok(!identifiers(h.port, 'jiraUser').includes('u-gone'));
  });

  it('deleted user with active false is deleted', async () => {
    await writeUser('u-inactive');
    h.jira.state.deleteUser('u-inactive', { mode: 'inactive' });

    const result = await h.send(payload('user_deleted.json', { 'user.accountId': 'u-inactive' }));

    assert.equal(result.outcome, 'deleted');
    assert.ok(!identifiers(h.port, 'jiraUser').includes('u-inactive'));
  });

  it('user_deleted of an active user keeps it', async () => {
    await writeUser('u-still-active');

    const result = await h.send(payload('user_deleted.json', { 'user.accountId': 'u-still-active' }));

    assert.equal(result.outcome, 'upserted');
    assert.ok(identifiers(h.port, 'jiraUser').includes('u-still-active'));
  });

  it('404 after user_updated fails', async () => {
    await writeUser('u-hidden');
    h.jira.state.deleteUser('u-hidden', { mode: '404' });

    const result = await h.send(payload('user_updated.json', { 'user.accountId': 'u-hidden' }));

    assert.ok(['failed', 'dead-lettered'].includes(result.outcome), result.outcome);
    assert.match(result.error ?? '', /404 for user u-hidden after user_updated/);
    assert.ok(identifiers(h.port, 'jiraUser').includes('u-hidden'));
  });

  it('user without any id rejected', async () => {
    const body = fixture('user_updated.json');
    const result = await h.send({ ...body, user: without(body['user'] as Record<string, unknown>, 'accountId') });

    assert.equal(result.outcome, 'rejected');
    assert.match(result.reason ?? '', /user/);
  });
});

describe('user processor for Data Center users', () => {
  let h: Harness;
  let accountId: string;
  before(async () => {
    h = await startHarness({ mapping: defaultMappingYaml([['identifier: .accountId', 'identifier: .accountId // .key']]) });
    accountId = h.jira.state.createUser({ displayName: 'Example User', name: 'example.user', key: 'JIRAUSER10100' }).accountId;
  });
  after(() => h.close());

  it('user found by key is upserted', async () => {
    const result = await h.send(fixture('dc_user_updated.json'));

    assert.equal(result.outcome, 'upserted');
    assert.deepEqual(identifiers(h.port, 'jiraUser'), ['JIRAUSER10100']);
    assert.equal(h.port.state.entities('jiraUser')[0]?.title, 'Example User');
  });

  it('user found by username without key', async () => {
    const body = fixture('dc_user_updated.json');
    const result = await h.send({ ...body, user: without(body['user'] as Record<string, unknown>, 'key') });

    assert.equal(result.outcome, 'upserted');
    assert.equal(result.work[0]?.entityId, 'example.user');
  });

  it('deleted user with 404 is deleted', async () => {
    h.jira.state.deleteUser(accountId, { mode: '404' });

    const result = await h.send(payload('dc_user_updated.json', { webhookEvent: 'user_deleted', 'user.active': false }));

    assert.equal(result.outcome, 'deleted');
    assert.deepEqual(identifiers(h.port, 'jiraUser'), []);
  });
});
