/** The outcome of one check: `error` makes `check` exit non-zero, `warning` does not. */
export type CheckStatus = 'ok' | 'warning' | 'error' | 'skipped';

/** One line of the report. */
export interface CheckItem {
  /** The group it is listed under: `configuration`, `mapping`, `jira`, `port`, `webhook` or `event log`. */
  readonly area: string;
  readonly status: CheckStatus;
  /** The checked value, such as `resources[2].selector.jql`, or empty when the area names it. */
  readonly subject: string;
  readonly message: string;
  readonly fix?: string;
}

export interface CheckReport {
  readonly configPath: string;
  readonly items: readonly CheckItem[];
  readonly errors: number;
  readonly warnings: number;
}

/** Builds a report from its items, counting errors and warnings. */
export function reportOf(configPath: string, items: readonly CheckItem[]): CheckReport {
  return {
    configPath,
    items,
    errors: items.filter((item) => item.status === 'error').length,
    warnings: items.filter((item) => item.status === 'warning').length,
  };
}

/** Renders the report for a terminal: one group per area, one line per item, then a summary line. */
export function formatReport(report: CheckReport): string {
  const lines = [`jira-port-stream check: ${report.configPath}`];
  let area: string | undefined;
  for (const item of report.items) {
    if (item.area !== area) {
      area = item.area;
      lines.push('', area);
    }
    const subject = item.subject === '' ? '' : `${item.subject}: `;
    const fix = item.fix === undefined ? '' : ` Fix: ${sentence(item.fix)}`;
    lines.push(`  ${item.status.padEnd(8)}${subject}${sentence(item.message)}${fix}`);
  }

  lines.push('', summaryOf(report));
  return `${lines.join('\n')}\n`;
}

/** Ends the text with a period unless it already ends a sentence, as Jira's own messages do. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function summaryOf(report: CheckReport): string {
  const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const totals = `${count(report.errors, 'error')}, ${count(report.warnings, 'warning')}`;
  return report.errors === 0 ? `Result: ${totals}. The configuration is usable.` : `Result: ${totals}. Fix the errors above and run check again.`;
}
