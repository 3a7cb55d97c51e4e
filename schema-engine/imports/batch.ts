import { sql, type Transaction } from 'kysely';
import type { Access, SheetGrant } from '../access/model.js';
import { createSheetRecords, updateSheetRecords } from '../access/records.js';
import type { FieldDef } from '../catalog/model.js';
import type { Sql } from '../field-types/field-type.js';
import type { ChoiceOptions } from '../field-types/shared/choices.js';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { columnName } from '../ids.js';
import { sheetTable } from '../records/columns.js';
import type { RecordJson } from '../records/read.js';
import { cellText, isEmptyCell, type SourceRow } from './cells.js';
import type { LinkMatcher } from './links.js';
import { say, type ImportLanguage, type Reason } from './messages.js';
import type { Progress } from './progress.js';
import type { Reader } from './readers.js';
import type { ImportPlan } from './mapping.js';
import { splitList, type DateOrder } from './values.js';

/** A column as the run reads it: which cell, into which field, how. */
export interface ColumnPlan {
  name: string;
  source: number;
  field: FieldDef;
  reader: Reader;
  dateOrder: DateOrder;
  link?: LinkMatcher;
}

/** One data row on its way: its values by field id, and the record it updates (upsert). */
interface Item {
  row: SourceRow;
  fields: Record<string, unknown>;
  links: Map<ColumnPlan, string[]>;
  bad: boolean;
  recordId?: string;
}

export interface BatchContext {
  engine: Engine;
  access: Access;
  grant: SheetGrant;
  columns: ColumnPlan[];
  plan: ImportPlan;
  progress: Progress;
  language: ImportLanguage;
  timeZone: string;
}

/** How a key field's stored value and a row's value are compared: as one canonical text each. */
function keyComparison(field: FieldDef): { sql: (column: Sql) => Sql; of: (value: unknown) => string } {
  if (['number', 'currency', 'percent', 'rating'].includes(field.type)) {
    // numeric → double → text: 1100.00 and 1100 are one key.
    return { sql: (c) => sql`((${c})::float8)::text`, of: (v) => String(Number(v)) };
  }
  if (field.type === 'single_select') {
    const choices = (field.options as ChoiceOptions).choices;
    return { sql: (c) => sql`lower(${c})`, of: (v) => (choices.find((ch) => ch.name === v)?.id ?? String(v)).toLowerCase() };
  }
  return { sql: (c) => sql`lower((${c})::text)`, of: (v) => String(v).toLowerCase() };
}

/** Errors that are not one row's fault: the whole import stops on them. */
const fatal = (error: EngineError) => ['busy', 'schema_changed'].includes(error.code) || (error.code === 'forbidden' && error.details?.record === undefined);

/**
 * Writes the rows of one batch through the engine's batch functions with the importer's Access (validation, rules,
 * computed fields, history and events in the import's transaction): every cell read, every link matched (and missing
 * linked records made, if asked), then all new records in one call and all updated ones in another. A batch the
 * engine refuses is undone to its savepoint and written again without the refused rows (the ones the engine names,
 * else found by halving the batch), which become problems: nothing is dropped without a word.
 */
export class BatchWriter {
  private readonly keyColumn: ColumnPlan | undefined;
  /** Upsert: each key's first row, so a repeated key is a problem, not a second write. */
  private readonly keys = new Map<string, number>();
  /** Link columns that link the sheet to itself: records written are matched by later rows. */
  private readonly selfLinks: ColumnPlan[];

  constructor(private readonly ctx: BatchContext) {
    this.keyColumn = ctx.plan.key ? ctx.columns.find((c) => c.field.id === ctx.plan.key) : undefined;
    this.selfLinks = ctx.columns.filter((c) => c.link && c.link.target.id === ctx.grant.full.id);
  }

  private get trx(): Transaction<Database> {
    return this.ctx.engine.db as Transaction<Database>;
  }

  async write(rows: SourceRow[]): Promise<void> {
    const items = rows.map((row) => this.read(row));
    await this.matchLinks(items);
    if (this.keyColumn) await this.findKeyed(items);
    const good = items.filter((i) => !i.bad);
    await this.attemptAll(good.filter((i) => !i.recordId), 'insert');
    await this.attemptAll(good.filter((i) => i.recordId), 'update');
    const { progress } = this.ctx;
    progress.processed += rows.length;
    progress.skipped += items.filter((i) => i.bad).length;
  }

  private read(row: SourceRow): Item {
    const item: Item = { row, fields: {}, links: new Map(), bad: false };
    const updating = this.ctx.plan.mode === 'upsert';
    for (const column of this.ctx.columns) {
      const cell = row.cells[column.source] ?? null;
      if (isEmptyCell(cell)) {
        // Empty: nothing set on a new record (its default applies); on an update, cleared only when asked.
        if (updating && this.ctx.plan.clearEmpty) item.fields[column.field.id] = null;
        continue;
      }
      const reader = column.reader;
      if (reader.kind === 'link') item.links.set(column, splitList(cellText(cell!)));
      else if (reader.kind === 'value') {
        const read = reader.read(cell!, column.field, { dateOrder: column.dateOrder, timeZone: this.ctx.timeZone });
        if ('problem' in read) this.problem(item, column.name, cellText(cell!), read.problem);
        else item.fields[column.field.id] = read.value;
      }
    }
    return item;
  }

  private async matchLinks(items: Item[]): Promise<void> {
    for (const column of this.ctx.columns) {
      const matcher = column.link;
      if (!matcher) continue;
      await matcher.prepare(this.trx, items.flatMap((item) => item.links.get(column) ?? []));
      if (this.ctx.plan.createMissingLinks) {
        const missing = new Set<string>();
        for (const item of items) {
          for (const text of item.links.get(column) ?? []) {
            const match = matcher.match(text);
            if ('problem' in match && match.problem.key === 'no_match') missing.add(text);
          }
        }
        if (missing.size) {
          const refused = await matcher.create(this.ctx.engine, this.ctx.access, [...missing], (work) => this.attempt(work));
          for (const item of items) for (const text of item.links.get(column) ?? []) if (refused.has(text)) this.problem(item, column.name, text, refused.get(text)!);
        }
      }
      for (const item of items) {
        const texts = item.links.get(column);
        if (!texts || item.bad) continue;
        const ids: string[] = [];
        for (const text of texts) {
          const match = matcher.match(text);
          if ('id' in match) ids.push(match.id);
          else if (!this.ctx.plan.createMissingLinks || match.problem.key !== 'no_match') this.problem(item, column.name, text, match.problem);
        }
        if (!item.bad) item.fields[column.field.id] = [...new Set(ids)];
      }
    }
  }

  /** Upsert: the records each row's key names, in one query (text compared ignoring case). */
  private async findKeyed(items: Item[]): Promise<void> {
    const column = this.keyColumn!;
    const field = column.field;
    const key = keyComparison(field);
    const keyed = items.filter((i) => !i.bad && i.fields[field.id] !== undefined && i.fields[field.id] !== null);
    for (const item of keyed) {
      const value = item.fields[field.id];
      const first = this.keys.get(key.of(value));
      if (first !== undefined) this.problem(item, column.name, String(value), { key: 'repeated_key', params: { value: String(value), row: first } });
      else this.keys.set(key.of(value), item.row.number);
    }
    const wanted = keyed.filter((i) => !i.bad);
    if (!wanted.length) return;
    const grant = this.ctx.grant;
    const condition = (scope: ReturnType<SheetGrant['rows']>) => (scope === undefined ? sql`FALSE` : scope === null ? sql`TRUE` : scope('t'));
    const stored = key.sql(sql.ref(`t.${columnName(field.id)}`));
    const { rows } = await sql<{ id: string; k: string; allowed: boolean }>`
      SELECT t.id::text AS id, ${stored} AS k, coalesce(${condition(grant.rows('update'))}, FALSE) AS allowed
      FROM ${sheetTable(this.ctx.access.full, grant.full)} AS t
      WHERE t.deleted_at IS NULL AND coalesce(${condition(grant.rows('read'))}, FALSE)
        AND ${stored} = ANY(${[...new Set(wanted.map((i) => key.of(i.fields[field.id])))]}::text[])`.execute(this.trx);
    const found = new Map<string, { id: string; allowed: boolean }[]>();
    for (const row of rows) found.set(row.k, [...(found.get(row.k) ?? []), row]);
    for (const item of wanted) {
      const value = String(item.fields[field.id]);
      const matches = found.get(key.of(item.fields[field.id])) ?? [];
      if (matches.length > 1) this.problem(item, column.name, value, { key: 'several_keyed', params: { value, count: matches.length } });
      else if (matches.length === 1 && !matches[0]!.allowed) this.problem(item, column.name, value, { key: 'key_not_updatable', params: { value, record: matches[0]!.id } });
      else if (matches.length === 1) item.recordId = matches[0]!.id;
    }
  }

  /** Runs a write to a savepoint: undone alone if the engine refuses it (its EngineError answered), the import going on. */
  async attempt<T>(work: () => Promise<T>): Promise<T | EngineError> {
    await sql`SAVEPOINT import_write`.execute(this.trx);
    try {
      const result = await work();
      await sql`RELEASE SAVEPOINT import_write`.execute(this.trx);
      return result;
    } catch (error) {
      await sql`ROLLBACK TO SAVEPOINT import_write`.execute(this.trx);
      await sql`RELEASE SAVEPOINT import_write`.execute(this.trx);
      if (error instanceof EngineError && error.status < 500 && !fatal(error)) return error;
      throw error;
    }
  }

  private async attemptAll(items: Item[], kind: 'insert' | 'update'): Promise<void> {
    if (!items.length) return;
    const { engine, access, grant } = this.ctx;
    const result = await this.attempt(() =>
      kind === 'insert'
        ? createSheetRecords(engine, access, grant.full.id, items.map((i) => i.fields))
        : updateSheetRecords(engine, access, grant.full.id, items.map((i) => ({ id: i.recordId!, fields: this.withoutKey(i.fields) }))),
    );
    if (!(result instanceof EngineError)) return this.written(items, result, kind);
    if (items.length === 1) return this.refused(items[0]!, result.details?.fields as Record<string, string> | undefined, result.message);
    const named = (result.details?.records as { index: number; fields?: Record<string, string> }[] | undefined) ?? [];
    if (named.length) {
      for (const { index, fields } of named) this.refused(items[index]!, fields, result.message);
      return this.attemptAll(items.filter((i) => !i.bad), kind);
    }
    // The engine named no row (a unique value taken, a locked record): halves until the refused rows are alone.
    const half = Math.ceil(items.length / 2);
    await this.attemptAll(items.slice(0, half), kind);
    await this.attemptAll(items.slice(half), kind);
  }

  /** A record found by its key keeps the key as it is written there (O1@EXAMPLE.com found o1@example.com). */
  private withoutKey(fields: Record<string, unknown>): Record<string, unknown> {
    const { [this.ctx.plan.key!]: _key, ...rest } = fields;
    return rest;
  }

  private written(items: Item[], records: RecordJson[], kind: 'insert' | 'update'): void {
    if (kind === 'insert') this.ctx.progress.inserted += records.length;
    else this.ctx.progress.updated += records.length;
    const primary = this.ctx.grant.full.primaryFieldId;
    for (const column of this.selfLinks) {
      items.forEach((item, i) => {
        const title = primary ? item.fields[primary] : undefined;
        if (typeof title === 'string' || typeof title === 'number') column.link!.remember(String(title), records[i]!.id);
      });
    }
  }

  /** The engine's reasons for one row, one problem per reason (a rule names every field it reads, with one message). */
  private refused(item: Item, fields: Record<string, string> | undefined, message: string): void {
    const entries = Object.entries(fields ?? {});
    if (!entries.length) return this.problem(item, null, null, message);
    const seen = new Set<string>();
    for (const [name, reason] of entries) {
      if (seen.has(reason)) continue;
      seen.add(reason);
      const column = this.ctx.columns.find((c) => c.field.name === name);
      const cell = column ? item.row.cells[column.source] : undefined;
      this.problem(item, column?.name ?? name, cell === undefined || cell === null ? null : cellText(cell), column ? reason : `"${name}" ${reason}`);
    }
  }

  private problem(item: Item, column: string | null, value: string | null, reason: Reason | string): void {
    item.bad = true;
    this.ctx.progress.add({ row: item.row.number, column, value: value === null ? null : value.slice(0, 1000), reason: typeof reason === 'string' ? reason : say(this.ctx.language, reason) });
  }
}
