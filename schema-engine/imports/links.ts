import { sql } from 'kysely';
import type { Access } from '../access/model.js';
import { createSheetRecords } from '../access/records.js';
import type { FieldDef, SheetDef } from '../catalog/model.js';
import type { LinkOptions } from '../computed/sql.js';
import { rawValue } from '../computed/sql.js';
import type { Db } from '../db.js';
import type { Engine } from '../engine.js';
import type { Sql } from '../field-types/field-type.js';
import { EngineError } from '../errors.js';
import { sheetTable } from '../records/columns.js';
import { nameKey } from '../schema-changes/names.js';
import type { Reason } from './messages.js';
import { readerOf } from './readers.js';

export type Match = { id: string } | { problem: Reason };

/** Printable ASCII: a text whose name key PostgreSQL computes exactly as nameKey does (trimmed, lower case). */
const PLAIN = `'^[ -~]*$'`;
const plainKey = (text: Sql): Sql => sql`lower(btrim(${text}) COLLATE "C")`;

/** Numbers the temporary tables: one per link column of an import, unique within the server process. */
let tables = 0;

/**
 * Turns the texts of a link column into record ids of the linked sheet: each matches the linked record whose primary
 * field reads the same (compared as names are: case, width and invisible characters aside), else one whose unique
 * field does, among the records the user may read. The linked sheet is not held in memory: its keys are copied once
 * into a temporary table of the import's transaction, indexed, and each batch's texts are matched in one query.
 * PostgreSQL cannot compare as nameKey does (Unicode case folding, NFKC, invisible characters), so it holds the keys
 * of values in printable ASCII only, for which nameKey is lower case and trimming; the few other values are kept
 * here by their nameKey. Records the import writes (to this sheet, by a self link, or made for a missing value) are
 * remembered.
 */
export class LinkMatcher {
  /** The current batch's matches, by name key: from the table and the other values. */
  private batch = new Map<string, { primary: string[]; unique: string[] }>();
  /** Linked records whose key values are not printable ASCII: [primary, unique] by name key. */
  private readonly other: [Map<string, string[]>, Map<string, string[]>] = [new Map(), new Map()];
  private readonly remembered = new Map<string, string[]>();

  private constructor(
    readonly field: FieldDef,
    readonly target: SheetDef,
    private readonly primary: FieldDef | undefined,
    private readonly table: Sql,
  ) {}

  static async load(engine: Engine, access: Access, field: FieldDef): Promise<LinkMatcher> {
    const targetId = (field.options as LinkOptions).sheet;
    const target = access.ws.sheets.find((s) => s.id === targetId);
    if (!target) throw new EngineError('forbidden', `"${field.name}" links to a sheet your role cannot read, so its values cannot be matched`);
    const primary = target.fields.find((f) => f.id === target.primaryFieldId);
    // Dropped with the import's transaction, whether it commits or not.
    const table = sql.id('pg_temp', `import_links_${++tables}`);
    const matcher = new LinkMatcher(field, target, primary, table);
    const by = [primary, ...target.fields.filter((f) => f.unique && f.id !== primary?.id)].filter((f): f is FieldDef => f !== undefined);
    const scope = target.rowScope ? sql` AND ${target.rowScope('t')}` : sql``;
    const values = sql.join(
      by.map((keyField, i) => {
        const text = keyField.impl.computed ? sql`(${rawValue(keyField, 't')})::text` : keyField.impl.toTextSql(rawValue(keyField, 't'), keyField.options);
        return sql`SELECT t.id, ${text} AS v, ${sql.lit(i === 0 ? 0 : 1)} AS unique_key FROM ${sheetTable(access.ws, target)} AS t WHERE t.deleted_at IS NULL${scope}`;
      }),
      sql` UNION ALL `,
    );
    const db = engine.db;
    await sql`CREATE TEMP TABLE ${table} (k text NOT NULL, id bigint NOT NULL, unique_key smallint NOT NULL) ON COMMIT DROP`.execute(db);
    await sql`INSERT INTO ${table} SELECT ${plainKey(sql.ref('v'))}, id, unique_key FROM (${values}) AS x WHERE v ~ ${sql.raw(PLAIN)}`.execute(db);
    await sql`CREATE INDEX ON ${table} (k)`.execute(db);
    await sql`ANALYZE ${table}`.execute(db);
    const { rows } = await sql<{ id: string; v: string; unique_key: number }>`
      SELECT id::text AS id, v, unique_key FROM (${values}) AS x WHERE v IS NOT NULL AND v !~ ${sql.raw(PLAIN)}`.execute(db);
    for (const row of rows) add(matcher.other[row.unique_key]!, row.v, row.id);
    return matcher;
  }

  /** Matches the texts of a batch, in one query (an index lookup per key): match() then answers for them. */
  async prepare(db: Db, texts: Iterable<string>): Promise<void> {
    const keys = [...new Set([...texts].map(nameKey))];
    const batch = new Map<string, { primary: string[]; unique: string[] }>();
    const entry = (key: string) => batch.get(key) ?? batch.set(key, { primary: [], unique: [] }).get(key)!;
    if (keys.length) {
      const { rows } = await sql<{ k: string; id: string; unique_key: number }>`
        SELECT k, id::text AS id, unique_key FROM ${this.table} WHERE k = ANY(${keys}::text[])`.execute(db);
      for (const row of rows) (row.unique_key ? entry(row.k).unique : entry(row.k).primary).push(row.id);
    }
    for (const key of keys) {
      const [primary, unique] = this.other;
      if (primary.has(key)) entry(key).primary.push(...primary.get(key)!);
      if (unique.has(key)) entry(key).unique.push(...unique.get(key)!);
      if (this.remembered.has(key)) entry(key).primary.push(...this.remembered.get(key)!);
    }
    this.batch = batch;
  }

  /** The record a text of the prepared batch names, or why none (or several) does. */
  match(text: string): Match {
    const key = nameKey(text);
    const found = this.batch.get(key);
    const primary = [...new Set(found?.primary ?? [])];
    const ids = primary.length ? primary : [...new Set(found?.unique ?? [])];
    if (ids.length === 1) return { id: ids[0]! };
    if (ids.length > 1) return { problem: { key: 'several_matches', params: { value: text, count: ids.length, sheet: this.target.name } } };
    return { problem: { key: 'no_match', params: { value: text, sheet: this.target.name, by: this.primary?.name ?? '' } } };
  }

  /** A record written by the import (to this sheet, by a self link, or created for a missing value) is matched from now on. */
  remember(text: string, id: string): void {
    add(this.remembered, text, id);
    // Also by the rest of the batch being matched (records made for its missing values).
    const key = nameKey(text);
    const found = this.batch.get(key) ?? { primary: [], unique: [] };
    if (!found.primary.includes(id)) found.primary.push(id);
    this.batch.set(key, found);
  }

  /**
   * New records of the linked sheet for values nothing matched, their primary field set to the value (read as that
   * field reads a cell), in one batch; a value whose record the engine refuses is answered with why.
   */
  async create(engine: Engine, access: Access, texts: string[], attempt: <T>(work: () => Promise<T>) => Promise<T | EngineError>): Promise<Map<string, Reason>> {
    const refused = new Map<string, Reason>();
    const primary = this.primary;
    const reader = primary && readerOf(primary);
    if (!primary || reader?.kind !== 'value' || !access.grant(this.target.id)?.create) {
      for (const text of texts) refused.set(text, { key: 'cannot_create_link', params: { value: text, sheet: this.target.name } });
      return refused;
    }
    const inputs: { text: string; fields: Record<string, unknown> }[] = [];
    for (const text of texts) {
      const read = reader.read(text, primary, { dateOrder: 'dmy', timeZone: 'UTC' });
      // A value the primary field cannot hold (a word for a number) names no record it could make.
      if ('problem' in read) refused.set(text, { key: 'no_match', params: { value: text, sheet: this.target.name, by: primary.name } });
      else inputs.push({ text, fields: { [primary.id]: read.value } });
    }
    const write = async (batch: typeof inputs): Promise<void> => {
      if (!batch.length) return;
      const result = await attempt(() => createSheetRecords(engine, access, this.target.id, batch.map((b) => b.fields)));
      if (!(result instanceof EngineError)) {
        result.forEach((record, i) => this.remember(batch[i]!.text, record.id));
        return;
      }
      if (batch.length === 1) {
        refused.set(batch[0]!.text, { key: 'link_not_created', params: { value: batch[0]!.text, sheet: this.target.name, reason: result.message } });
        return;
      }
      // One refused value refuses the batch: the values are made one by one to find it.
      for (const one of batch) await write([one]);
    };
    await write(inputs);
    return refused;
  }
}

function add(map: Map<string, string[]>, text: string, id: string): void {
  const key = nameKey(text);
  const ids = map.get(key);
  if (!ids) map.set(key, [id]);
  else if (!ids.includes(id)) ids.push(id);
}
