import { BoardProcessor } from './board.js';
import { CommentProcessor } from './comment.js';
import { IssueProcessor } from './issue.js';
import type { WebhookAuthentication } from './jira-authentication.js';
import type { Processor } from './processor.js';
import { ProjectProcessor } from './project.js';
import { ReleaseMergeProcessor } from './release-merge.js';
import { ReleaseProcessor } from './release.js';
import { SprintProcessor } from './sprint.js';
import { UserProcessor } from './user.js';
import { WorklogProcessor } from './worklog.js';

export type { Processor, ProcessorContext, RawResults, WebhookEvent, PayloadRejection } from './processor.js';
export type { WebhookAuthentication } from './jira-authentication.js';

/** Creates every processor the pipeline runs, in evaluation order. */
export function defaultProcessors(authentication: WebhookAuthentication): Processor<unknown>[] {
  return [
    new IssueProcessor(authentication),
    new ProjectProcessor(authentication),
    new UserProcessor(authentication),
    new CommentProcessor(authentication),
    new WorklogProcessor(authentication),
    new ReleaseProcessor(authentication),
    new ReleaseMergeProcessor(authentication),
    new SprintProcessor(authentication),
    new BoardProcessor(authentication),
  ] as Processor<unknown>[];
}
