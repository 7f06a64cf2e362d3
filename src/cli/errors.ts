/**
 * Errors whose message already says what is wrong and how to fix it; the
 * CLI prints the message alone. Any other error is a bug, and its stack is
 * printed for the report.
 */
const OPERATIONAL_ERRORS = new Set([
  'ConfigError',
  'MappingConfigError',
  'EventLogOpenError',
  'WebhookConfigError',
  'FeedOptionInvalidError',
]);

/** Text for an error that ended a command; the second element is the exit code. */
export function describeCommandError(error: unknown, commandUsage: string | undefined): readonly [string, number] {
  if (!(error instanceof Error)) return [`jira-port-stream: ${String(error)}`, 1];

  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    return [`jira-port-stream: ${error.message}${commandUsage ? `\n\nUsage: jira-port-stream ${commandUsage}` : ''}`, 2];
  }
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    return [`jira-port-stream: cannot listen: ${error.message}. Choose another port (--port 0 or server.port: 0 picks a free one).`, 1];
  }
  if (OPERATIONAL_ERRORS.has(error.name) || OPERATIONAL_ERRORS.has(error.constructor.name)) return [error.message, 1];
  return [`jira-port-stream: ${error.stack ?? error.message}`, 1];
}
