import { CommentProcessor } from './comment.js';
import { IssueProcessor } from './issue.js';
import type { WebhookAuthentication } from './jira-authentication.js';
import type { Processor } from './processor.js';
import { ProjectProcessor } from './project.js';
import { UserProcessor } from './user.js';

export type { Processor, ProcessorContext, RawResults, WebhookEvent, PayloadRejection } from './processor.js';
export type { WebhookAuthentication } from './jira-authentication.js';

/** Every processor the pipeline runs, in evaluation order. */
export function defaultProcessors(authentication: WebhookAuthentication): Processor<unknown>[] {
  return [
    new IssueProcessor(authentication),
    new ProjectProcessor(authentication),
    new UserProcessor(authentication),
    new CommentProcessor(authentication),
  ] as Processor<unknown>[];
}
