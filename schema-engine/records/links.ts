import { sql, type Transaction } from 'kysely';
import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import { junctionSides, junctionTable, type LinkOptions } from '../computed/sql.js';
import type { Database } from '../db.js';
import { tableName } from '../ids.js';

/** The links a write sets, per link field: record id → the ids it links to, in order. */
export type LinkSets = Map<FieldDef, Map<string, string[]>>;

/** A failed link write, naming the record of a batch it came from (by its index). */
export class LinkWriteError extends Error {
  constructor(
    readonly index: number,
    readonly fields: Record<string, string>,
  ) {
    super(Object.values(fields)[0]);
  }
}

/**
 * Replaces the links of each record in each field: one DELETE (none for `fresh` records, just inserted) and one INSERT
 * per field. Targets must be live records of the linked sheet; the junction's unique indexes refuse a second target
 * where the link allows one.
 */
export async function writeLinks(trx: Transaction<Database>, ws: WorkspaceOverview, sets: LinkSets, indexOf: (recordId: string) => number, fresh = false): Promise<void> {
  for (const [field, byRecord] of sets) {
    const options = field.options as LinkOptions;
    const { self, other } = junctionSides(options);
    const junction = junctionTable(ws, options);
    const recordIds = [...byRecord.keys()];
    const wanted = [...new Set([...byRecord.values()].flat())];
    if (wanted.length) {
      // In the writer's view of the catalog, only records they may read (access/narrow.ts).
      const scope = ws.sheets.find((s) => s.id === options.sheet)?.rowScope;
      const live = await sql<{ id: string }>`
        SELECT c.id::text AS id FROM ${sql.id(ws.schema, tableName(options.sheet))} AS c
        WHERE c.id = ANY(${wanted}::bigint[]) AND c.deleted_at IS NULL${scope ? sql` AND ${scope('c')}` : sql``}`.execute(trx);
      const found = new Set(live.rows.map((r) => r.id));
      for (const [recordId, ids] of byRecord) {
        const missing = ids.find((id) => !found.has(id));
        if (missing) throw new LinkWriteError(indexOf(recordId), { [field.name]: `there is no record ${missing} in the linked sheet` });
      }
    }
    // A writer who reads only some of the linked sheet's records replaces the links they see: a link of a many-valued
    // field to a record they may not read stays (dropping it would change that record, e.g. unset another rep's
    // lead's account, and they could not even see it). A single-valued link is their record's own value to replace.
    const targetScope = ws.sheets.find((s) => s.id === options.sheet)?.rowScope;
    const keepUnread = targetScope && (options.relationship === 'one_to_many' || options.relationship === 'many_to_many');
    const readable = keepUnread ? sql` AND ${sql.id(other)} IN (SELECT c.id FROM ${sql.id(ws.schema, tableName(options.sheet))} AS c WHERE ${targetScope('c')})` : sql``;
    // Records just inserted (`fresh`) have no links yet: nothing to replace.
    if (!fresh) await sql`DELETE FROM ${junction} WHERE ${sql.id(self)} = ANY(${recordIds}::bigint[])${readable}`.execute(trx);
    const rows = [...byRecord].flatMap(([recordId, ids]) => ids.map((id) => ({ s: recordId, o: id })));
    const numbered = rows.map((r, i) => ({ ...r, i }));
    if (!rows.length) continue;
    try {
      await sql`SAVEPOINT link_write`.execute(trx);
      await sql`
        INSERT INTO ${junction} (${sql.id(self)}, ${sql.id(other)})
        SELECT x.s, x.o FROM jsonb_to_recordset(${JSON.stringify(numbered)}::jsonb) AS x(s bigint, o bigint, i integer) ORDER BY x.i`.execute(trx);
      await sql`RELEASE SAVEPOINT link_write`.execute(trx);
    } catch (error) {
      const pg = error as { code?: string; detail?: string };
      if (pg.code !== '23505') throw error;
      await sql`ROLLBACK TO SAVEPOINT link_write`.execute(trx);
      throw explainTaken(field, pg.detail ?? '', rows, indexOf);
    }
  }
}

/** A target that may link back to one record only is already linked to another one. */
function explainTaken(field: FieldDef, detail: string, rows: { s: string; o: string }[], indexOf: (recordId: string) => number): LinkWriteError {
  const column = /Key \((a|b)\)=\((\d+)\)/.exec(detail);
  const { self } = junctionSides(field.options as LinkOptions);
  const id = column?.[2] ?? '?';
  const row = column?.[1] === self ? rows.find((r) => r.s === id) : rows.find((r) => r.o === id);
  const what =
    column?.[1] === self
      ? `can link to one record only`
      : `record ${id} of the linked sheet is already linked to another record, and it can be linked to one record only; unlink it there first`;
  return new LinkWriteError(row ? indexOf(row.s) : 0, { [field.name]: what });
}

/** The records a deleted record was linked to, per link field, removed so they no longer show it. */
export async function unlinkRecord(trx: Transaction<Database>, ws: WorkspaceOverview, sheet: SheetDef, recordId: string): Promise<Record<string, string[]>> {
  const removed: Record<string, string[]> = {};
  for (const field of sheet.fields) {
    if (field.type !== 'link') continue;
    const options = field.options as LinkOptions;
    const { self, other } = junctionSides(options);
    const result = await sql<{ id: string }>`
      DELETE FROM ${junctionTable(ws, options)} WHERE ${sql.id(self)} = ${recordId} RETURNING ${sql.id(other)}::text AS id`.execute(trx);
    if (result.rows.length) removed[field.id] = result.rows.map((r) => r.id);
  }
  return removed;
}

/** Links a restored record again where the other record and the link's cardinality still allow it. */
export async function relinkRecord(trx: Transaction<Database>, ws: WorkspaceOverview, sheet: SheetDef, recordId: string, links: Record<string, string[]>): Promise<void> {
  for (const [fieldId, ids] of Object.entries(links)) {
    const field = sheet.fields.find((f) => f.id === fieldId && f.type === 'link');
    if (!field || !ids.length) continue;
    const options = field.options as LinkOptions;
    const { self, other } = junctionSides(options);
    const junction = junctionTable(ws, options);
    for (const id of ids) {
      await sql`SAVEPOINT relink`.execute(trx);
      try {
        await sql`
          INSERT INTO ${junction} (${sql.id(self)}, ${sql.id(other)})
          SELECT ${recordId}, c.id FROM ${sql.id(ws.schema, tableName(options.sheet))} AS c WHERE c.id = ${id} AND c.deleted_at IS NULL
          ON CONFLICT DO NOTHING`.execute(trx);
        await sql`RELEASE SAVEPOINT relink`.execute(trx);
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error;
        // The other record took another link meanwhile: this one stays unlinked.
        await sql`ROLLBACK TO SAVEPOINT relink`.execute(trx);
      }
    }
  }
}
