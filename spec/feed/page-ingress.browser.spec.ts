import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WEBHOOK_PATH } from '../../src/service/service.js';
import { signedDelivery } from '../support/harness.js';
import { startServiceHarness } from '../support/service-harness.js';
import { chromiumSkipReason, openLivePage, waitForResultRow, waitForStatus } from './browser-helper.js';

const FEED_TOKEN = 'browser-feed-token';
const skip = chromiumSkipReason() ?? false;

describe('live page on the running service', { skip }, () => {
  test('delivery sent through the ingress appears in the table', { timeout: 60_000 }, async (t) => {
    const h = await startServiceHarness({ feedToken: FEED_TOKEN });
    t.after(() => h.close());
    h.jira.state.setWebhook(null);
    const project = h.jira.state.createProject({ key: 'CAT', name: 'Catalog' });
    const page = await openLivePage(t, h.service.url, { token: FEED_TOKEN });
    await waitForStatus(page, 'live');

    const delivery = signedDelivery({ timestamp: Date.now(), webhookEvent: 'project_created', project: { id: Number(project.id), key: 'CAT', name: 'Catalog' } }, 'test-webhook-secret');
    const response = await fetch(`${h.service.url}${WEBHOOK_PATH}`, { method: 'POST', headers: delivery.headers, body: new Uint8Array(delivery.body as Buffer) });
    const { offset } = (await response.json()) as { offset: number };
    const row = await waitForResultRow(page, offset);

    assert.equal(response.status, 202);
    assert.equal(row.webhookEvent, 'project_created');
    assert.equal(row.outcome, 'upserted');
    assert.match(row.entities, /jiraProject\/CAT/);
  });
});
