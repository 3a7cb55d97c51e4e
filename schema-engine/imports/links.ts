import { sql } from 'kysely';
import type { Access } from '../access/model.js';
import { createSheetRecords } from '../access/records.js';
import type { FieldDef, SheetDef } from '../catalog/model.js';
import type { LinkOptions } from '../computed/sql.js';
import { rawValue } from '../computed/sql.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { sheetTable } from '../records/columns.js';
import { nameKey } from '../schema-changes/names.js';
import type { Reason } from './messages.js';
import { readerOf } from './readers.js';

export type Match = { id: string } | { problem: Reason };

/**
 * Turns the texts of a link column into record ids of the linked sheet: each matches the linked record whose primary
 * field reads the same (compared as names are: case, width and invisible characters aside), else one whose unique
 * field does. Loaded once per import from the records the user may read; records the import creates are added.
 */
export class LinkMatcher {
  private readonly keys = new Map<string, string[]>();
  private readonly unique = new Map<string, string[]>();

  private constructor(
    readonly field: FieldDef,
    readonly target: SheetDef,
    private readonly primary: FieldDef | undefined,
  ) {}

  static async load(engine: Engine, access: Access, field: FieldDef): Promise<LinkMatcher> {
    const targetId = (field.options as LinkOptions).sheet;
    const target = access.ws.sheets.find((s) => s.id === targetId);
    if (!target) throw new EngineError('forbidden', `"${field.name}" links to a sheet your role cannot read, so its values cannot be matched`);
    const primary = target.fields.find((f) => f.id === target.primaryFieldId);
    const matcher = new LinkMatcher(field, target, primary);
    const by = [primary, ...target.fields.filter((f) => f.unique && f.id !== primary?.id)].filter((f): f is FieldDef => f !== undefined);
    for (const [i, keyField] of by.entries()) {
      const text = keyField.impl.computed ? sql`(${rawValue(keyField, 't')})::text` : keyField.impl.toTextSql(rawValue(keyField, 't'), keyField.options);
      const scope = target.rowScope ? sql` AND ${target.rowScope('t')}` : sql``;
      const { rows } = await sql<{ id: string; v: string | null }>`
        SELECT t.id::text AS id, ${text} AS v FROM ${sheetTable(access.ws, target)} AS t WHERE t.deleted_at IS NULL${scope}`.execute(engine.db);
      for (const row of rows) if (row.v !== null) add(i === 0 ? matcher.keys : matcher.unique, row.v, row.id);
    }
    return matcher;
  }

  /** The record a text names, or why none (or several) does. */
  match(text: string): Match {
    const key = nameKey(text);
    const ids = this.keys.get(key) ?? this.unique.get(key);
    if (ids?.length === 1) return { id: ids[0]! };
    if (ids && ids.length > 1) return { problem: { key: 'several_matches', params: { value: text, count: ids.length, sheet: this.target.name } } };
    return { problem: { key: 'no_match', params: { value: text, sheet: this.target.name, by: this.primary?.name ?? '' } } };
  }

  /** A record written by the import (to this sheet, by a self link, or created for a missing value) is matched from now on. */
  remember(text: string, id: string): void {
    add(this.keys, text, id);
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
