import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seededRandom } from '../../src/simulators/jira/random.js';
import { actualIssues, expectedIssues } from '../support/oracle.js';
import { identifiers } from '../support/harness.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

const STATUSES = ['To Do', 'In Progress', 'Done'];

describe('end-to-end convergence', () => {
  let h: ServiceHarness;
  before(async () => {
    h = await startServiceHarness({ tuning: { coalesceWindowMs: 50 } });
  });
  after(() => h.close());

  it('Port equals the mapping of Jira after mixed changes', async () => {
    const jira = h.jira.state;
    const random = seededRandom(7);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const projects = ['CAT', 'PLAT', 'OPS'];
    const projectOf = (id: string): string | undefined => jira.issues().find((issue) => issue.id === id)?.fields.project?.key;
    for (const key of projects) jira.createProject({ key, name: `Project ${key}` });

    const live: string[] = [];
    for (let i = 0; i < 60; i++) live.push(jira.createIssue({ projectKey: pick(projects), summary: `Issue ${i}`, labels: i % 3 === 0 ? ['backend'] : [] }).id);
    for (let i = 0; i < 120; i++) {
      const id = pick(live);
      const roll = random();
      if (roll < 0.6) jira.updateIssue(id, { summary: `Changed ${i}`, status: pick(STATUSES) });
      else if (roll < 0.8) jira.moveIssue(id, pick(projects.filter((key) => key !== projectOf(id))));
      else if (roll < 0.9) jira.addComment(id, `comment ${i}`);
      else {
        jira.deleteIssue(id);
        live.splice(live.indexOf(id), 1);
      }
    }
    jira.softDeleteProject('OPS');
    await h.settle();
    jira.restoreProject('OPS');
    jira.createIssue({ projectKey: 'OPS', summary: 'After restore' });
    await h.settle();

    assert.deepEqual(actualIssues(h.port), await expectedIssues(h.jira));
  });

  it('projects in Port are the live Jira projects', () => {
    assert.deepEqual(identifiers(h.port, 'jiraProject'), ['CAT', 'OPS', 'PLAT']);
  });

  it('no delivery failed or was rejected', () => {
    const bad = h.results.filter((result) => ['failed', 'dead-lettered', 'rejected'].includes(result.outcome));
    assert.deepEqual(bad.map((result) => `${result.webhookEvent}: ${result.error ?? result.reason}`), []);
  });

  it('every webhook Jira sent has a processed result', () => {
    assert.equal(h.results.length, h.jira.state.sentWebhooks().length);
  });
});
