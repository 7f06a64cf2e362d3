/**
 * Kind-specific `selector` codecs, with the defaults of Ocean's Jira
 * integration (its `overrides.py` selector models). Every selector requires
 * `query`, and fields a codec does not list are kept unchanged.
 */
import * as t from 'io-ts';
import { anyString, jqExpression, nonEmptyString, oneOf, optional, withDefault, withFixHint } from './codecs.js';

/** Ocean's default issue JQL: open issues plus anything created or updated in the last week. */
export const DEFAULT_ISSUE_JQL = '(statusCategory != Done) OR (created >= -1w) OR (updated >= -1w)';

export const DEFAULT_ISSUE_FIELDS = '*all';

export const DEFAULT_PROJECT_EXPAND = 'insight';

export const SPRINT_STATES = ['active', 'closed', 'future'] as const;
export type SprintState = (typeof SPRINT_STATES)[number];

export const BOARD_TYPES = ['scrum', 'kanban', 'simple'] as const;

const sprintStateName = 'a non-empty list of distinct sprint states (active, closed, future), or null for all states';

/**
 * `sprintState`: absent means `["active"]` and `null` means every state,
 * as in Ocean. A list must be non-empty and free of duplicates.
 */
const sprintStates = withFixHint(new t.Type<readonly SprintState[] | null, unknown, unknown>(
  sprintStateName,
  (input): input is readonly SprintState[] | null => input === null || isSprintStateList(input),
  (input, context) => {
    if (input === undefined) {
      return t.success(['active']);
    }
    if (input === null || isSprintStateList(input)) {
      return t.success(input);
    }
    return t.failure(input, context);
  },
  t.identity,
), 'List each of active, closed and future at most once, or use null for every state.');

function isSprintStateList(input: unknown): input is readonly SprintState[] {
  if (!Array.isArray(input) || input.length === 0) {
    return false;
  }
  const known = input.every((state) => (SPRINT_STATES as readonly unknown[]).includes(state));
  return known && new Set(input).size === input.length;
}

const exportEnvVariables = optional(t.array(anyString, 'a list of environment variable names'));

const baseSelector = t.type({ query: jqExpression, exportEnvVariables }, 'a selector object with a query');

const issueSelector = t.type(
  {
    query: jqExpression,
    exportEnvVariables,
    jql: withDefault(anyString, DEFAULT_ISSUE_JQL),
    fields: withDefault(nonEmptyString, DEFAULT_ISSUE_FIELDS),
    expand: optional(anyString),
  },
  'an issue selector object with a query',
);

const projectSelector = t.type(
  { query: jqExpression, exportEnvVariables, expand: withDefault(anyString, DEFAULT_PROJECT_EXPAND) },
  'a project selector object with a query',
);

const sprintSelector = t.type(
  { query: jqExpression, exportEnvVariables, sprintState: sprintStates },
  'a sprint selector object with a query',
);

const boardSelector = t.type(
  {
    query: jqExpression,
    exportEnvVariables,
    boardType: optional(oneOf(BOARD_TYPES)),
    projectKey: optional(nonEmptyString),
  },
  'a board selector object with a query',
);

const selectorsByKind: Readonly<Record<string, t.Mixed>> = {
  issue: issueSelector,
  project: projectSelector,
  sprint: sprintSelector,
  board: boardSelector,
};

/**
 * Returns the selector codec for `kind`. Kinds without their own codec
 * (release, user, worklog, comment and any other) only require `query`.
 */
export function selectorCodecFor(kind: string): t.Mixed {
  return selectorsByKind[kind] ?? baseSelector;
}
