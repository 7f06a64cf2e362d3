import type { Entity } from '../../mapping/types.js';

/** One line of the demo's summary. */
export interface DemoRow {
  readonly title: string;
  readonly event: string;
  readonly status: number;
  readonly outcome: string;
  readonly upserted?: readonly string[];
  readonly deleted?: readonly string[];
  readonly detail: string;
}

/** Render the per-delivery summary as a plain-text table. */
export function formatSummary(rows: readonly DemoRow[]): string {
  const lines = rows.map((row, i) => {
    const written = [...(row.upserted ?? []).map((ref) => `+${ref}`), ...(row.deleted ?? []).map((ref) => `-${ref}`)].join(' ');
    const detail = [written, row.detail].filter((part) => part !== '').join('  ');
    return [String(i + 1).padStart(2), row.title.padEnd(40), row.event.padEnd(26), String(row.status), row.outcome.padEnd(12), detail].join('  ');
  });
  const header = [' #', 'delivery'.padEnd(40), 'webhookEvent'.padEnd(26), 'HTTP', 'outcome'.padEnd(12), 'entities written (+ upsert, - delete) / reason'].join('  ');
  return ['Deliveries', header, ...lines].join('\n');
}

/** Render Port's entities per blueprint, one line each with title and a few properties. */
export function formatEntities(byBlueprint: Readonly<Record<string, readonly Entity[]>>): string {
  const lines = ['Port entities after the demo'];
  for (const [blueprint, entities] of Object.entries(byBlueprint).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${blueprint} (${entities.length})`);
    for (const entity of entities) {
      const properties = entity.properties;
      const shown = ['status', 'issueType', 'url', 'active'].filter((key) => properties[key] !== undefined && properties[key] !== null).map((key) => `${key}=${JSON.stringify(properties[key])}`);
      lines.push(`    ${entity.identifier.padEnd(44)} ${String(entity.title ?? '').padEnd(36)} ${shown.join(' ')}`);
    }
  }
  lines.push('', 'Entities without a title were created by Port as missing relation targets (createMissingRelatedEntities: true).');
  return lines.join('\n');
}
