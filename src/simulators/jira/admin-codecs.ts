import * as t from 'io-ts';

/** io-ts codecs of the `/_sim` admin API bodies. They mirror the input types in `model.ts`. */

const nullableString = t.union([t.string, t.null]);

export const ProjectInputCodec = t.intersection([
  t.type({ key: t.string, name: t.string }),
  t.partial({ id: t.string, description: t.string, projectTypeKey: t.string, leadAccountId: nullableString, categoryName: nullableString }),
]);

export const ProjectPatchCodec = t.partial({
  key: t.string,
  name: t.string,
  description: t.string,
  leadAccountId: nullableString,
  categoryName: nullableString,
});

export const IssuePatchCodec = t.partial({
  summary: t.string,
  status: t.string,
  issuetype: t.string,
  priority: t.string,
  labels: t.array(t.string),
  components: t.array(t.string),
  assigneeAccountId: nullableString,
  reporterAccountId: nullableString,
  description: nullableString,
  parentId: nullableString,
});

export const IssueInputCodec = t.intersection([
  t.type({ projectKey: t.string, summary: t.string }),
  IssuePatchCodec,
  t.partial({ id: t.string, created: t.string, updated: t.string }),
]);

const accountType = t.keyof({ atlassian: null, app: null, customer: null });

export const UserInputCodec = t.intersection([
  t.type({ displayName: t.string }),
  t.partial({ accountId: t.string, emailAddress: nullableString, timeZone: t.string, active: t.boolean, accountType, name: t.string, key: t.string }),
]);

export const UserPatchCodec = t.partial({ displayName: t.string, emailAddress: nullableString, timeZone: t.string, active: t.boolean });

export const SeedDataCodec = t.partial({
  users: t.array(UserInputCodec),
  projects: t.array(ProjectInputCodec),
  issues: t.array(IssueInputCodec),
});

export const MoveRequestCodec = t.type({ projectKey: t.string });

export const CommentRequestCodec = t.intersection([t.type({ body: t.string }), t.partial({ authorAccountId: t.string })]);

export const WebhookTargetCodec = t.union([t.null, t.intersection([t.type({ url: t.string }), t.partial({ secret: t.string })])]);

export const VersionInputCodec = t.intersection([
  t.type({ projectKey: t.string, name: t.string }),
  t.partial({ description: t.string, releaseDate: nullableString, startDate: nullableString, released: t.boolean }),
]);

export const VersionPatchCodec = t.partial({
  name: t.string,
  description: t.string,
  releaseDate: nullableString,
  startDate: nullableString,
  archived: t.boolean,
});

export const ReleaseRequestCodec = t.partial({ releaseDate: t.string });

export const VersionMoveCodec = t.type({ position: t.keyof({ First: null, Last: null, Earlier: null, Later: null }) });

export const VersionMergeCodec = t.type({ into: t.string });

export const BoardInputCodec = t.type({
  name: t.string,
  type: t.keyof({ scrum: null, kanban: null, simple: null }),
  projectKeys: t.array(t.string),
});

export const BoardPatchCodec = t.partial({ name: t.string });

export const BoardConfigurationCodec = t.partial({ projectKeys: t.array(t.string) });

export const SprintInputCodec = t.intersection([
  t.type({ boardId: t.string, name: t.string }),
  t.partial({ goal: t.string, startDate: t.string, endDate: t.string }),
]);

export const SprintPatchCodec = t.partial({ name: t.string, goal: t.string, startDate: t.string, endDate: t.string });

export const SprintStartCodec = t.partial({ endDate: t.string });

export const WorklogInputCodec = t.intersection([
  t.type({ timeSpentSeconds: t.number }),
  t.partial({ comment: t.string, started: t.string, authorAccountId: t.string }),
]);

export const WorklogPatchCodec = t.partial({ timeSpentSeconds: t.number, comment: t.string, started: t.string });
