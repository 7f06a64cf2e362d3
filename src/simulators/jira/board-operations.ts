import { InvalidInputError, NotFoundError } from './errors.js';
import type { BoardConfigurationPatch, BoardInput, BoardRecord, BoardType } from './model.js';
import type { JiraStore } from './store.js';
import { boardEventBody, type BoardEventName } from './webhook-bodies.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

const BOARD_TYPES: readonly BoardType[] = ['scrum', 'kanban', 'simple'];

/** Jira Software board changes, each with its `board_*` webhook. */
export class BoardOperations {
  constructor(
    private readonly store: JiraStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  create(input: BoardInput): BoardRecord {
    if (typeof input.name !== 'string' || input.name.trim() === '') throw new InvalidInputError('A board needs a non-empty name.');
    if (!BOARD_TYPES.includes(input.type)) {
      throw new InvalidInputError(`Invalid board type "${String(input.type)}"; use scrum, kanban or simple.`);
    }

    const board: BoardRecord = { id: this.store.allocateId('board'), name: input.name, type: input.type, projectIds: this.projectIdsOf(input.projectKeys) };
    return this.commit(board, 'board_created');
  }

  /** Renames the board (`board_updated`). */
  update(id: string, patch: { readonly name?: string }): BoardRecord {
    const before = this.resolve(id);
    if (patch.name !== undefined && patch.name.trim() === '') throw new InvalidInputError('A board needs a non-empty name.');
    return this.commit({ ...before, name: patch.name ?? before.name }, 'board_updated');
  }

  /** Changes the projects of the board's filter (`board_configuration_changed`). */
  changeConfiguration(id: string, patch: BoardConfigurationPatch): BoardRecord {
    const before = this.resolve(id);
    const projectIds = patch.projectKeys === undefined ? before.projectIds : this.projectIdsOf(patch.projectKeys);
    return this.commit({ ...before, projectIds }, 'board_configuration_changed');
  }

  /** Deletes the board. Its sprints stay, as Jira keeps them on their issues. */
  delete(id: string): BoardRecord {
    const board = this.resolve(id);
    this.store.boards.delete(board.id);
    this.notify('board_deleted', board);
    return board;
  }

  resolve(id: string): BoardRecord {
    const board = this.store.boards.get(id);
    if (board === undefined) throw new NotFoundError('board', id, `Board ${id} does not exist or you do not have permission to see it.`);
    return board;
  }

  private projectIdsOf(projectKeys: readonly string[]): string[] {
    if (!Array.isArray(projectKeys) || projectKeys.length === 0) {
      throw new InvalidInputError('A board needs at least one project key in projectKeys.');
    }
    return [...new Set(projectKeys.map((key) => this.store.resolveProject(key).id))];
  }

  private commit(board: BoardRecord, event: BoardEventName): BoardRecord {
    this.store.boards.set(board.id, board);
    this.notify(event, board);
    return board;
  }

  private notify(event: BoardEventName, board: BoardRecord): void {
    this.dispatcher.dispatch(event, boardEventBody(this.store, event, board, this.store.clock.now()), { board });
  }
}
