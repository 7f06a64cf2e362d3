import { InvalidInputError, NotFoundError } from './errors.js';
import type { SprintInput, SprintPatch, SprintRecord, SprintState } from './model.js';
import type { JiraStore } from './store.js';
import { parseTimestamp } from './time.js';
import { sprintEventBody, type SprintEventName } from './webhook-bodies.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

/** Length of a sprint started without an end date, as Jira proposes: two weeks. */
const DEFAULT_SPRINT_MS = 14 * 86_400_000;

/**
 * Sprint changes, each with its `sprint_*` webhook. A sprint goes from
 * `future` to `active` (start) to `closed` (close), and only scrum boards
 * have sprints.
 */
export class SprintOperations {
  constructor(
    private readonly store: JiraStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  create(input: SprintInput): SprintRecord {
    const board = this.store.boards.get(input.boardId);
    if (board === undefined) throw new NotFoundError('board', input.boardId, `Board ${input.boardId} does not exist or you do not have permission to see it.`);
    if (board.type !== 'scrum') throw new InvalidInputError(`Board ${board.id} is a ${board.type} board, which does not support sprints; use a scrum board.`);
    if (typeof input.name !== 'string' || input.name.trim() === '') throw new InvalidInputError('A sprint needs a non-empty name.');

    const sprint: SprintRecord = {
      id: this.store.allocateId('sprint'),
      boardId: board.id,
      name: input.name,
      state: 'future',
      goal: input.goal ?? '',
      startDate: input.startDate === undefined ? null : parseTimestamp(input.startDate, 'startDate'),
      endDate: input.endDate === undefined ? null : parseTimestamp(input.endDate, 'endDate'),
      completeDate: null,
      createdDate: this.store.clock.now(),
    };
    return this.commit(sprint, 'sprint_created');
  }

  update(id: string, patch: SprintPatch): SprintRecord {
    const before = this.resolve(id);
    if (patch.name !== undefined && patch.name.trim() === '') throw new InvalidInputError('A sprint needs a non-empty name.');
    return this.commit({
      ...before,
      name: patch.name ?? before.name,
      goal: patch.goal ?? before.goal,
      startDate: patch.startDate === undefined ? before.startDate : parseTimestamp(patch.startDate, 'startDate'),
      endDate: patch.endDate === undefined ? before.endDate : parseTimestamp(patch.endDate, 'endDate'),
    }, 'sprint_updated');
  }

  /** Starts a future sprint now; the end date defaults to two weeks later. */
  start(id: string, endDate?: string): SprintRecord {
    const before = this.requireState(id, 'future', 'started');
    const now = this.store.clock.now();
    const end = endDate === undefined ? before.endDate ?? now + DEFAULT_SPRINT_MS : parseTimestamp(endDate, 'endDate');
    return this.commit({ ...before, state: 'active', startDate: now, endDate: end }, 'sprint_started');
  }

  close(id: string): SprintRecord {
    const before = this.requireState(id, 'active', 'closed');
    return this.commit({ ...before, state: 'closed', completeDate: this.store.clock.now() }, 'sprint_closed');
  }

  delete(id: string): SprintRecord {
    const sprint = this.resolve(id);
    this.store.sprints.delete(sprint.id);
    this.notify('sprint_deleted', sprint);
    return sprint;
  }

  resolve(id: string): SprintRecord {
    const sprint = this.store.sprints.get(id);
    if (sprint === undefined) throw new NotFoundError('sprint', id, `Sprint ${id} does not exist or you do not have permission to see it.`);
    return sprint;
  }

  private requireState(id: string, state: SprintState, action: string): SprintRecord {
    const sprint = this.resolve(id);
    if (sprint.state !== state) throw new InvalidInputError(`Sprint ${sprint.id} is ${sprint.state}, but only sprints in state ${state} can be ${action}.`);
    return sprint;
  }

  private commit(sprint: SprintRecord, event: SprintEventName): SprintRecord {
    this.store.sprints.set(sprint.id, sprint);
    this.notify(event, sprint);
    return sprint;
  }

  private notify(event: SprintEventName, sprint: SprintRecord): void {
    this.dispatcher.dispatch(event, sprintEventBody(this.store, event, sprint, this.store.clock.now()), { sprint });
  }
}
