import type { Blueprint, BlueprintProperty } from './types.js';

/**
 * Blueprints the simulator loads on start and on reset: the four blueprints
 * of Ocean's Jira integration (`integrations/jira/.port/resources/blueprints.json`),
 * reduced to the fields the simulator validates, plus permissive blueprints
 * for the Jira kinds that the integration does not define.
 */

const text: BlueprintProperty = { type: 'string' };
const url: BlueprintProperty = { type: 'string', format: 'url' };
const dateTime: BlueprintProperty = { type: 'string', format: 'date-time' };
const stringList: BlueprintProperty = { type: 'array', items: { type: 'string' } };

const jiraProject: Blueprint = {
  identifier: 'jiraProject',
  title: 'Jira Project',
  permissive: false,
  schema: { properties: { url, totalIssues: { type: 'number' } } },
  relations: {},
};

const jiraTeam: Blueprint = {
  identifier: 'jiraTeam',
  title: 'Jira Team',
  permissive: false,
  schema: {
    properties: {
      organizationId: text,
      teamType: { type: 'string', enum: ['MEMBER_INVITE', 'OPEN'] },
      description: text,
    },
  },
  relations: { members: { target: 'jiraUser', title: 'Users', required: false, many: true } },
};

const jiraUser: Blueprint = {
  identifier: 'jiraUser',
  title: 'Jira User',
  permissive: false,
  schema: {
    properties: {
      emailAddress: { type: 'string', format: 'email' },
      active: { type: 'boolean' },
      accountType: text,
      timeZone: text,
      locale: text,
      avatarUrl: url,
    },
  },
  relations: {},
};

const jiraIssue: Blueprint = {
  identifier: 'jiraIssue',
  title: 'Jira Issue',
  permissive: false,
  schema: {
    properties: {
      url,
      status: text,
      issueType: text,
      components: stringList,
      creator: { type: 'string', format: 'user' },
      priority: text,
      labels: stringList,
      created: dateTime,
      updated: dateTime,
      resolutionDate: dateTime,
    },
  },
  relations: {
    project: { target: 'jiraProject', title: 'Project', required: false, many: false },
    parentIssue: { target: 'jiraIssue', title: 'Parent Issue', required: false, many: false },
    subtasks: { target: 'jiraIssue', title: 'Subtasks', required: false, many: true },
    assignee: { target: 'jiraUser', title: 'Assignee', required: false, many: false },
    reporter: { target: 'jiraUser', title: 'Reporter', required: false, many: false },
  },
};

/** Creates a blueprint that accepts any property and relation without checks. */
export function permissiveBlueprint(identifier: string, title: string = identifier): Blueprint {
  return { identifier, title, permissive: true, schema: { properties: {} }, relations: {} };
}

/** Returns fresh copies of the default blueprints. */
export function defaultBlueprints(): Blueprint[] {
  return [
    jiraProject,
    jiraTeam,
    jiraUser,
    jiraIssue,
    permissiveBlueprint('jiraRelease', 'Jira Release'),
    permissiveBlueprint('jiraSprint', 'Jira Sprint'),
    permissiveBlueprint('jiraBoard', 'Jira Board'),
  ].map((blueprint) => structuredClone(blueprint));
}
