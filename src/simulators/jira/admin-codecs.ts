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
  t.partial({ accountId: t.string, emailAddress: nullableString, timeZone: t.string, active: t.boolean, accountType }),
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
