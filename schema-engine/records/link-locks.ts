import type { Transaction } from 'kysely';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { LinkOptions } from '../computed/sql.js';
import type { Database } from '../db.js';
import { linkedIds } from '../field-types/link.js';
import { lockedField, lockingRules, locks } from '../rules/locks.js';
import { fetchRecords } from './fetch.js';
import type { StorageValues } from './input.js';
import type { RecordJson } from './read.js';


/**
 * Linking a record to a locked one, or unlinking it, changes the locked record's side of the link (a new line on an
 * accepted quote changes the quote's line items and its total): refused like a change of that field, naming the
 * link written. Only links whose other sheet has lock rules are read.
 */
export async function assertLinkTargetsUnlocked(trx: Transaction<Database>, ws: WorkspaceOverview, sheet: SheetDef, values: readonly StorageValues[], before?: readonly RecordJson[]): Promise<void> {
  for (const link of sheet.fields) {
    if (link.type !== 'link') continue;
    const options = link.options as LinkOptions;
    const target = ws.sheets.find((s) => s.id === options.sheet);
    const inverse = target?.fields.find((f) => f.id === options.inverseField);
    if (!target || !inverse || !target.rules.some((r) => r.kind === 'lock')) continue;
    const touched = new Set<string>();
    values.forEach((v, i) => {
      if (!v.has(link.id)) return;
      const now = linkedIds(v.get(link.id));
      const was = ((before?.[i]?.fields[link.name] as { id: string }[] | undefined) ?? []).map((l) => l.id);
      for (const id of now) if (!was.includes(id)) touched.add(id);
      for (const id of was) if (!now.includes(id)) touched.add(id);
    });
    if (!touched.size) continue;
    for (const record of await fetchRecords(trx, ws, target, [...touched])) {
      const rule = lockingRules(target, record).find((r) => locks(r, inverse.id));
      if (rule) throw lockedField(link.name, rule);
    }
  }
}
