import { sheetOrThrow } from '../catalog/resolve.js';
import { createRecords, MAX_BATCH, updateRecord } from '../records/write.js';
import type { TemplateSheet } from './format.js';
import type { InstallState } from './install-state.js';
import { templateValue } from './values.js';

/** Sheets whose records the others' records link to come first; a self link (or a cycle) is written afterwards. */
function recordOrder(state: InstallState): TemplateSheet[] {
  const sheets = state.model.sheets.filter((s) => s.records?.length);
  const order: TemplateSheet[] = [];
  const seen = new Set<string>();
  const visit = (sheet: TemplateSheet) => {
    if (seen.has(sheet.key)) return;
    seen.add(sheet.key);
    const fields = state.model.fields(sheet.key);
    const targets = new Set(sheet.records!.flatMap((r) => Object.keys(r.fields).flatMap((k) => fields.get(k)?.link?.sheet ?? [])));
    for (const target of targets) {
      const other = sheets.find((s) => s.key === target);
      if (other) visit(other);
    }
    order.push(sheet);
  };
  sheets.forEach(visit);
  return order;
}

/**
 * The sample records, in batches through the records API's own writes (validation and rules included). Links name
 * record keys: linked sheets are written first, and a link to a record not written yet is set by an update after.
 */
export async function installRecords(state: InstallState): Promise<number> {
  const { engine, workspaceId } = state;
  // The template's own records: its lock rules (an accepted quote) do not hold its install.
  const writer = { userId: state.userId, unlocked: true };
  const later: { sheetKey: string; index: number; fields: Record<string, unknown> }[] = [];
  const ids = new Map<string, string[]>();
  let count = 0;
  for (const sheet of recordOrder(state)) {
    const records = sheet.records!;
    const inputs = records.map((record, index) => {
      const input: Record<string, unknown> = {};
      const deferred: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record.fields)) {
        const field = state.model.field(sheet.key, key)!;
        const written = templateValue(state, field, value);
        if (written === undefined) deferred[key] = value;
        else input[state.fieldId(sheet.key, key)] = written;
      }
      if (Object.keys(deferred).length) later.push({ sheetKey: sheet.key, index, fields: deferred });
      return input;
    });
    const created: string[] = [];
    for (let start = 0; start < inputs.length; start += MAX_BATCH) {
      const ws = await engine.catalog.get(workspaceId);
      const batch = await createRecords(engine, ws, sheetOrThrow(ws, state.sheetId(sheet.key)), inputs.slice(start, start + MAX_BATCH), writer);
      created.push(...batch.map((r) => r.id));
    }
    records.forEach((record, i) => record.key && state.setRecord(sheet.key, record.key, created[i]!));
    ids.set(sheet.key, created);
    count += created.length;
  }
  for (const { sheetKey, index, fields } of later) {
    const input: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) input[state.fieldId(sheetKey, key)] = templateValue(state, state.model.field(sheetKey, key)!, value);
    const ws = await engine.catalog.get(workspaceId);
    await updateRecord(engine, ws, sheetOrThrow(ws, state.sheetId(sheetKey)), ids.get(sheetKey)![index]!, { fields: input }, writer);
  }
  return count;
}
