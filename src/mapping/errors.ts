/**
 * Errors raised while loading a mapping (the Port app config).
 */

/** One thing wrong with a mapping, located by its path in the config. */
export interface MappingConfigIssue {
  /** Path of the value at fault, for example `resources[2].port.entity.mappings.identifier`. */
  readonly path: string;
  /** Description of the fault, for example `is missing`. */
  readonly problem: string;
  /** Change that makes the mapping load. */
  readonly fix: string;
  /** Kind of the resource config the value belongs to, when known. */
  readonly kind?: string;
  /** Position of that resource config in `resources`, when known. */
  readonly resourceIndex?: number;
  /** jq's own compile error message, for invalid expressions. */
  readonly jqMessage?: string;
}

/**
 * A mapping that cannot be used: invalid YAML, a value of the wrong type, or
 * a JQ expression that does not compile. `issues` lists every problem found,
 * and the message repeats them one per line.
 */
export class MappingConfigError extends Error {
  override readonly name = 'MappingConfigError';
  readonly issues: readonly MappingConfigIssue[];

  constructor(issues: readonly MappingConfigIssue[], source?: string) {
    super(formatMessage(issues, source));
    this.issues = issues;
  }
}

function formatMessage(issues: readonly MappingConfigIssue[], source: string | undefined): string {
  const origin = source === undefined ? 'Invalid mapping' : `Invalid mapping in ${source}`;
  const lines = issues.map((issue) => `- ${issue.path}: ${issue.problem}. ${issue.fix}`);
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return [`${origin} (${count}):`, ...lines].join('\n');
}

/** `EntityMapper.map` was given a resource config that is not one of the mapper's own. */
export class UnknownResourceError extends Error {
  override readonly name = 'UnknownResourceError';

  constructor(
    readonly kind: string,
    readonly resourceIndex: number,
  ) {
    super(`No resource config of kind "${kind}" at index ${resourceIndex} in this mapper. Pass one of mapper.resources.`);
  }
}
