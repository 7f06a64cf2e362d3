import type { Delivery } from '../../core/delivery.js';
import type { DeadLetter } from '../../log/dead-letters.js';
import type { RedriveOutcome } from '../../pipeline/redrive.js';

/** Characters of an error shown in the `list` table; `show ID` prints the whole error. */
const TABLE_ERROR_WIDTH = 100;

/** Render dead letters as a table with one row each, or a line saying there are none. */
export function formatDeadLetterTable(entries: readonly DeadLetter[]): string {
  if (entries.length === 0) return 'No dead letters match.\n';

  const header = ['ID', 'OFFSET', 'ATTEMPTS', 'LAST FAILED (UTC)', 'EVENT', 'PROCESSOR/KIND', 'ENTITY', 'STATE', 'ERROR'];
  const rows = entries.map((entry) => [
    String(entry.id),
    String(entry.offset),
    String(entry.attempts),
    new Date(entry.lastFailedAt).toISOString(),
    entry.webhookEvent ?? '-',
    `${entry.processor}/${entry.kind}`,
    entry.entityId ?? '-',
    entry.redrivenAt === null ? 'waiting' : 're-driven',
    truncate(entry.error, TABLE_ERROR_WIDTH),
  ]);

  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ').trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

/**
 * Describe one dead letter and its delivery for `show`: times as ISO
 * strings, the delivery's headers except the signature, and the body only
 * when `withBody` is set (bodies can be large and contain user content).
 */
export function describeDeadLetter(deadLetter: DeadLetter, delivery: Delivery | undefined, withBody: boolean): Record<string, unknown> {
  return {
    ...deadLetter,
    firstFailedAt: new Date(deadLetter.firstFailedAt).toISOString(),
    lastFailedAt: new Date(deadLetter.lastFailedAt).toISOString(),
    redrivenAt: deadLetter.redrivenAt === null ? null : new Date(deadLetter.redrivenAt).toISOString(),
    delivery: delivery === undefined ? 'not in the event log any more' : describeDelivery(delivery, withBody),
  };
}

/** Describe the outcome of one redrive in one line. */
export function formatRedriveOutcome(outcome: RedriveOutcome): string {
  if ('error' in outcome) return `dead letter ${outcome.id}: not re-driven: ${outcome.error.message}`;

  const { deadLetter, redriven, result, error } = outcome.report;
  if (redriven) {
    const written = [...result.upserted.map((ref) => `upserted ${ref.blueprint}/${ref.identifier}`), ...result.deleted.map((ref) => `deleted ${ref.blueprint}/${ref.identifier}`)];
    return `dead letter ${deadLetter.id}: re-driven (${written.length > 0 ? written.join(', ') : result.outcome})`;
  }
  return `dead letter ${deadLetter.id}: failed again (attempt ${deadLetter.attempts}): ${error ?? result.outcome}`;
}

function describeDelivery(delivery: Delivery, withBody: boolean): Record<string, unknown> {
  const { 'x-hub-signature': signature, ...headers } = delivery.headers;
  return {
    offset: delivery.offset,
    deliveryId: delivery.deliveryId,
    receivedAt: new Date(delivery.receivedAt).toISOString(),
    headers: signature === undefined ? headers : { ...headers, 'x-hub-signature': '[present]' },
    bodyBytes: delivery.body.length,
    ...(withBody ? { body: delivery.body.toString('utf8') } : {}),
  };
}

function truncate(text: string, width: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= width ? oneLine : `${oneLine.slice(0, width - 3)}...`;
}
