import { sql } from 'kysely';
import type { Db } from '../db.js';

/** A table the import's statements read, with the columns they filter and join on. */
export interface WatchedTable {
  schema: string;
  table: string;
  columns: string[];
}

/**
 * Sampled again once the table holds this many times the pages its statistics were taken from, or has grown at all
 * since they said it was empty (a linked sheet sampled when it was made, before its records were written: planned as
 * empty, every row read back was joined to all of its records).
 */
const GROWTH = 2;

/**
 * Keeps the planner's statistics of the tables an import writes and reads close to their size as it runs. The import
 * is one transaction, so autovacuum never sees its rows: a sheet made (or last sampled) empty keeps "0 rows" for the
 * whole run, and the statements of every batch (reading the records back, checking and writing links) were planned
 * for an empty table, scanning all of it per batch, which grows quadratically (at 100,000 rows a batch's read-back
 * took 270 ms instead of about 15). ANALYZE in the transaction counts the transaction's own rows. Only the columns the
 * import's statements filter on are sampled (a column list also skips the expression statistics of the search
 * index, which sample up to 300,000 rows), and only when the table outgrew its statistics.
 */
export class Statistics {
  /** Rows written so far, and the count at which the tables are looked at again (doubling: a dozen looks for 100,000). */
  private rows = 0;
  private next = 1000;

  constructor(
    private readonly db: Db,
    private readonly tables: WatchedTable[],
  ) {}

  /** After a batch: looks at the tables again once the import has written twice the rows it had at the last look. */
  async written(rows: number): Promise<void> {
    this.rows += rows;
    if (this.rows < this.next) return;
    this.next = this.rows * 2;
    await this.refresh();
  }

  async refresh(): Promise<void> {
    if (!this.tables.length) return;
    const names = this.tables.map((t) => `${quote(t.schema)}.${quote(t.table)}`);
    const { rows } = await sql<{ name: string; stale: boolean }>`
      SELECT n.name, (c.reltuples < 0 OR p.pages > greatest(c.relpages * ${GROWTH}, 1) OR (c.reltuples = 0 AND p.pages > c.relpages)) AS stale
      FROM unnest(${names}::text[]) AS n(name) JOIN pg_class c ON c.oid = to_regclass(n.name)
        CROSS JOIN LATERAL (SELECT pg_relation_size(c.oid) / current_setting('block_size')::int AS pages) AS p`.execute(this.db);
    for (const row of rows) {
      if (!row.stale) continue;
      const table = this.tables[names.indexOf(row.name)]!;
      await sql`ANALYZE ${sql.id(table.schema, table.table)} (${sql.join(table.columns.map((c) => sql.id(c)))})`.execute(this.db);
    }
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
