import { describe, expect, it } from 'vitest';
import { fieldTypes } from '../field-types/registry.js';
import { compileDdl } from './ddl.js';
import { dropFieldIndexes, fieldColumnDdl, sortIndexDdl } from './field-ddl.js';
import { movePrimaryIndex } from './primary.js';

const sqlOf = (actions: Parameters<typeof compileDdl>[0]) => compileDdl(actions).map((q) => ({ sql: q.sql, parameters: q.parameters }));

describe('DDL planner (pure: plan and compile, no database)', () => {
  it('creates a sheet table with the system columns', () => {
    expect(sqlOf([{ kind: 'create_table', schema: 'ws_wspa', table: 's_shtb' }])[0]!.sql).toBe(`CREATE TABLE "ws_wspa"."s_shtb" (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by text,
  updated_by text,
  deleted_at timestamptz
)`);
  });

  it('adds a plain column with no default, so no row is rewritten', () => {
    const plan = fieldColumnDdl({ schema: 'ws_w', sheetId: 'shtabc', fieldId: 'fldxyz', impl: fieldTypes.number, options: {}, unique: false });
    expect(sqlOf(plan)).toEqual([{ sql: 'ALTER TABLE "ws_w"."s_shtabc" ADD COLUMN "f_fldxyz" numeric', parameters: [] }]);
  });

  it('gives a unique text field a partial unique index (its search index is the sheet\'s)', () => {
    const plan = fieldColumnDdl({ schema: 'ws_w', sheetId: 'shtabc', fieldId: 'fldxyz', impl: fieldTypes.email, options: {}, unique: true });
    expect(sqlOf(plan).map((q) => q.sql)).toEqual([
      'ALTER TABLE "ws_w"."s_shtabc" ADD COLUMN "f_fldxyz" text',
      'CREATE UNIQUE INDEX "u_fldxyz" ON "ws_w"."s_shtabc" ("f_fldxyz") WHERE deleted_at IS NULL',
    ]);
  });

  it('builds a sheet\'s search index concurrently over its text columns joined by chr(31) in lower case, then samples it for the planner', () => {
    const create = { kind: 'create_search_index', schema: 'ws_w', table: 's_shtabc', index: 'x_shtabc_0123456789', fieldIds: ['flda', 'fldb'] } as const;
    expect(sqlOf([create, { kind: 'drop_index', schema: 'ws_w', index: 'x_shtabc_old', concurrently: true }])).toEqual([
      {
        sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS "x_shtabc_0123456789" ON "ws_w"."s_shtabc" USING gin ((lower(coalesce("f_flda", '') || chr(31) || coalesce("f_fldb", ''))) gin_trgm_ops)`,
        parameters: [],
      },
      { sql: 'ALTER INDEX "ws_w"."x_shtabc_0123456789" ALTER COLUMN 1 SET STATISTICS 1000', parameters: [] },
      { sql: 'ANALYZE "ws_w"."s_shtabc"', parameters: [] },
      { sql: 'DROP INDEX CONCURRENTLY IF EXISTS "ws_w"."x_shtabc_old"', parameters: [] },
    ]);
  });

  it('gives a primary field a (value, id) index of the live rows, which serves ORDER BY value, id', () => {
    const plan = fieldColumnDdl({ schema: 'ws_w', sheetId: 'shtabc', fieldId: 'fldxyz', impl: fieldTypes.number, options: {}, unique: false, primary: true });
    expect(sqlOf(plan).map((q) => q.sql)).toEqual([
      'ALTER TABLE "ws_w"."s_shtabc" ADD COLUMN "f_fldxyz" numeric',
      'CREATE INDEX "o_fldxyz" ON "ws_w"."s_shtabc" ("f_fldxyz", id) WHERE deleted_at IS NULL',
    ]);
  });

  it('builds the sort index concurrently when repairing, and drops it with the other indexes of a column put aside', () => {
    const plan = { schema: 'ws_w', sheetId: 'shtabc', fieldId: 'fldxyz', impl: fieldTypes.text, options: {} };
    expect(sqlOf(sortIndexDdl(plan, true)).map((q) => q.sql)).toEqual([
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS "o_fldxyz" ON "ws_w"."s_shtabc" ("f_fldxyz", id) WHERE deleted_at IS NULL',
    ]);
    expect(sqlOf(dropFieldIndexes('ws_w', 'fldxyz')).map((q) => q.sql)).toEqual([
      'DROP INDEX IF EXISTS "ws_w"."u_fldxyz"',
      'DROP INDEX IF EXISTS "ws_w"."o_fldxyz"',
      'DROP INDEX IF EXISTS "ws_w"."w_fldxyz"',
    ]);
  });

  it("gives a sheet's owner field an (owner, id) index of the live rows, and no other user field", () => {
    const plan = (options: unknown) => fieldColumnDdl({ schema: 'ws_w', sheetId: 'shtabc', fieldId: 'fldxyz', impl: fieldTypes.user, options, unique: false });
    expect(sqlOf(plan({ owner: true })).map((q) => q.sql)).toEqual([
      'ALTER TABLE "ws_w"."s_shtabc" ADD COLUMN "f_fldxyz" text',
      'CREATE INDEX "w_fldxyz" ON "ws_w"."s_shtabc" ("f_fldxyz", id) WHERE deleted_at IS NULL',
    ]);
    expect(sqlOf(plan({})).map((q) => q.sql)).toEqual(['ALTER TABLE "ws_w"."s_shtabc" ADD COLUMN "f_fldxyz" text']);
  });

  it('moves the sort index when another field becomes primary, and leaves it when the same one is set again', () => {
    const sheet = { id: 'shtabc', primaryFieldId: 'fldold' };
    expect(sqlOf(movePrimaryIndex('ws_w', sheet, { id: 'fldnew', impl: fieldTypes.date, options: {} })).map((q) => q.sql)).toEqual([
      'DROP INDEX IF EXISTS "ws_w"."o_fldold"',
      'CREATE INDEX "o_fldnew" ON "ws_w"."s_shtabc" ("f_fldnew", id) WHERE deleted_at IS NULL',
    ]);
    expect(sqlOf(movePrimaryIndex('ws_w', sheet, { id: 'fldsel', impl: fieldTypes.single_select, options: { choices: [] } })).map((q) => q.sql)).toEqual([
      'DROP INDEX IF EXISTS "ws_w"."o_fldold"',
    ]);
    expect(movePrimaryIndex('ws_w', sheet, { id: 'fldold', impl: fieldTypes.text, options: {} })).toEqual([]);
  });

  it('gives no sort index to a primary field that does not sort by its bare column', () => {
    const plan = (type: 'single_select' | 'user' | 'created_time' | 'formula') => ({ schema: 'ws_w', sheetId: 'shtabc', fieldId: 'fldxyz', impl: fieldTypes[type], options: { choices: [] } });
    for (const type of ['single_select', 'user', 'created_time', 'formula'] as const) expect(sortIndexDdl(plan(type))).toEqual([]);
    for (const type of ['text', 'email', 'number', 'currency', 'date', 'datetime', 'autonumber', 'rating'] as const) {
      expect(sortIndexDdl({ ...plan('created_time'), impl: fieldTypes[type], options: {} })).toHaveLength(1);
    }
  });

  it('numbers existing rows of an autonumber field in id order, then continues from a sequence', () => {
    const plan = fieldColumnDdl({ schema: 'ws_w', sheetId: 'shtabc', fieldId: 'fldno', impl: fieldTypes.autonumber, options: { prefix: 'Q-', digits: 6 }, unique: false });
    expect(sqlOf(plan).map((q) => q.sql)).toEqual([
      'ALTER TABLE "ws_w"."s_shtabc" ADD COLUMN "f_fldno" bigint',
      'CREATE SEQUENCE "ws_w"."q_fldno"',
      'UPDATE "ws_w"."s_shtabc" AS t SET "f_fldno" = n.num FROM (SELECT id, row_number() OVER (ORDER BY id) AS num FROM "ws_w"."s_shtabc") AS n WHERE t.id = n.id',
      `SELECT setval('ws_w.q_fldno'::regclass, greatest((SELECT max("f_fldno") FROM "ws_w"."s_shtabc"), 0) + 1, false)`,
      `ALTER TABLE "ws_w"."s_shtabc" ALTER COLUMN "f_fldno" SET DEFAULT nextval('ws_w.q_fldno'::regclass)`,
    ]);
  });

  it('adds nothing for a field that shows a system column', () => {
    expect(fieldColumnDdl({ schema: 'ws_w', sheetId: 'shtabc', fieldId: 'fldc', impl: fieldTypes.created_time, options: {}, unique: false })).toEqual([]);
  });

  it('quotes generated identifiers and refuses anything that is not one', async () => {
    const { columnName } = await import('../ids.js');
    expect(() => columnName('x"; DROP TABLE users; --')).toThrow(/unsafe id/);
    expect(sqlOf([{ kind: 'rename_column', schema: 'ws_w', table: 's_t', from: 'f_a', to: 't_trsb' }])[0]!.sql).toBe(
      'ALTER TABLE "ws_w"."s_t" RENAME COLUMN "f_a" TO "t_trsb"',
    );
  });
});
