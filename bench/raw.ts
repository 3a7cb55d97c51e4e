import pg from 'pg';
import { columnName, schemaName, tableName } from '../schema-engine/ids.js';
import type { SheetJson } from './api.js';
import type { RecordFields } from './data.js';

const SQL_TYPES: Record<string, string> = { number: 'numeric', currency: 'numeric', date: 'date', checkbox: 'boolean', multi_select: 'text[]', rating: 'smallint' };

/**
 * The ceiling: the same work as the API, written by hand with `pg` against the engine's own tables
 * (same columns, filter, sort and limit; writes in a transaction with their history row).
 */
export class RawSql {
  readonly table: string;
  private readonly columns: Record<string, string> = {};
  private readonly fieldIds: Record<string, string> = {};
  private readonly choiceIds: Record<string, Map<string, string>> = {};
  readonly selectList: string;

  constructor(
    readonly pool: pg.Pool,
    readonly workspaceId: string,
    readonly sheet: SheetJson,
    readonly userId: string,
  ) {
    this.table = `"${schemaName(workspaceId)}"."${tableName(sheet.id)}"`;
    for (const field of sheet.fields) {
      this.columns[field.name] = `"${columnName(field.id)}"`;
      this.fieldIds[field.name] = field.id;
      this.choiceIds[field.name] = new Map((field.options.choices ?? []).map((c) => [c.name, c.id]));
    }
    this.selectList = ['id', 'version', 'created_at', 'updated_at', ...Object.values(this.columns)].join(', ');
  }

  col = (name: keyof RecordFields) => this.columns[name]!;

  choiceId(field: string, name: string): string {
    const id = this.choiceIds[field]?.get(name);
    if (!id) throw new Error(`no choice "${name}" in ${field}`);
    return id;
  }

  /** Choice ids whose names contain the search term, as the API's search also matches select fields. */
  matchingChoices(field: string, term: string): string[] {
    return [...(this.choiceIds[field] ?? new Map<string, string>())].filter(([name]) => name.toLowerCase().includes(term.toLowerCase())).map(([, id]) => id);
  }

  /** A record as stored: select fields hold choice ids, in the sheet's column order. */
  storageRow(r: RecordFields): Record<string, unknown> {
    const key = (name: keyof RecordFields) => columnName(this.fieldIds[name]!);
    return {
      [key('Name')]: r.Name,
      [key('Company')]: r.Company,
      [key('Email')]: r.Email,
      [key('Quantity')]: r.Quantity,
      [key('Amount')]: r.Amount,
      [key('Stage')]: this.choiceId('Stage', r.Stage),
      [key('Close date')]: r['Close date'],
      [key('Priority')]: r.Priority,
      [key('Products')]: r.Products.map((p) => this.choiceId('Products', p)),
      [key('Rating')]: r.Rating,
    };
  }

  /** History `changes` as the engine stores them: field id → {name, from, to}; a create's leave out `from` (null). */
  changes(before: Partial<RecordFields> | null, after: Partial<RecordFields>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, to] of Object.entries(after)) {
      const from = before?.[name as keyof RecordFields] ?? null;
      if (JSON.stringify(from) !== JSON.stringify(to)) out[this.fieldIds[name]!] = before ? { name, from, to } : { name, to };
    }
    return out;
  }

  /** Deals per stage and close month: count, sum and average of Amount (what the summary API computes). */
  summaryByStageAndMonth() {
    const month = `date_trunc('month', ${this.col('Close date')}::timestamp)`;
    return this.pool.query(
      `SELECT ${this.col('Stage')} AS stage, ${month} AS month, count(*), sum(${this.col('Amount')}), avg(${this.col('Amount')})
       FROM ${this.table} WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2`,
    );
  }

  async getOne(id: string): Promise<unknown> {
    const result = await this.pool.query(`SELECT ${this.selectList} FROM ${this.table} WHERE id = $1 AND deleted_at IS NULL`, [id]);
    if (result.rows.length !== 1) throw new Error(`record ${id} not found`);
    return result.rows[0];
  }

  listByStageAndAmount(stage: string, minAmount: number, limit: number) {
    return this.pool.query(
      `SELECT ${this.selectList} FROM ${this.table}
       WHERE deleted_at IS NULL AND ${this.col('Amount')} >= $1::numeric AND ${this.col('Stage')} = $2
       ORDER BY ${this.col('Amount')} DESC NULLS LAST, id ASC LIMIT $3`,
      [String(minAmount), this.choiceId('Stage', stage), limit],
    );
  }

  /**
   * Substring search over the text-like fields, joined in field id order by chr(31) and lowered as the sheet's one
   * trigram index has them (the terms never hold that character), and select fields whose choice names match.
   */
  search(term: string, limit: number) {
    const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const text = this.sheet.fields
      .filter((f) => ['text', 'email'].includes(f.type))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((f) => `coalesce(${this.columns[f.name]}, '')`)
      .join(' || chr(31) || ');
    const parts = [`lower(${text}) LIKE lower($1)`];
    const params: unknown[] = [pattern, limit];
    const stages = this.matchingChoices('Stage', term);
    const products = this.matchingChoices('Products', term);
    if (stages.length) parts.push(`${this.col('Stage')} = ANY($${params.push(stages)}::text[])`);
    if (products.length) parts.push(`${this.col('Products')} && $${params.push(products)}::text[]`);
    return this.pool.query(`SELECT ${this.selectList} FROM ${this.table} WHERE deleted_at IS NULL AND (${parts.join(' OR ')}) ORDER BY id LIMIT $2`, params);
  }

  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  /** Like the engine, returns only what the database fills in: the other values are what was sent. */
  private insertSql(rowsParam: string) {
    const names = this.sheet.fields.map((f) => this.columns[f.name]!);
    const types = this.sheet.fields.map((f) => SQL_TYPES[f.type] ?? 'text');
    return `INSERT INTO ${this.table} (created_by, updated_by, ${names.join(', ')})
      SELECT $1, $1, ${names.map((n) => `x.${n}`).join(', ')}
      FROM jsonb_to_recordset(${rowsParam}::jsonb) AS x(${names.map((n, i) => `${n} ${types[i]}`).join(', ')})
      RETURNING id, version, created_at, updated_at`;
  }

  private historySql() {
    return `INSERT INTO record_history (workspace_id, sheet_id, record_id, by_user, action, changes)
      SELECT $1, $2, e.record_id, $3, e.action, e.changes
      FROM json_to_recordset($4::json) AS e(record_id bigint, action text, changes json)`;
  }

  /** Creates records (one or a batch of 1000) and their history rows in one transaction. */
  createMany(records: RecordFields[]) {
    return this.inTransaction(async (client) => {
      const inserted = await client.query<{ id: string }>(this.insertSql('$2'), [this.userId, JSON.stringify(records.map((r) => this.storageRow(r)))]);
      const entries = inserted.rows.map((row, i) => ({ record_id: row.id, action: 'create', changes: this.changes(null, records[i]!) }));
      await client.query(this.historySql(), [this.workspaceId, this.sheet.id, this.userId, JSON.stringify(entries)]);
      return inserted.rows;
    });
  }

  /** Reads the row under lock (for the version and the history's "from"), updates it, writes the history row. */
  updateAmountAndStage(id: string, amount: number, stage: string) {
    const [amountCol, stageCol] = [this.col('Amount'), this.col('Stage')];
    return this.inTransaction(async (client) => {
      const before = await client.query(`SELECT id, version, ${amountCol} AS amount, ${stageCol} AS stage FROM ${this.table} WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, [id]);
      const old = before.rows[0] as { amount: string | null; stage: string | null } | undefined;
      if (!old) throw new Error(`record ${id} not found`);
      const updated = await client.query(
        `UPDATE ${this.table} SET ${amountCol} = $1::numeric, ${stageCol} = $2::text, version = version + 1, updated_at = now(), updated_by = $3
         WHERE id = $4 RETURNING ${this.selectList}`,
        [String(amount), this.choiceId('Stage', stage), this.userId, id],
      );
      const oldStage = [...(this.choiceIds.Stage ?? [])].find(([, choice]) => choice === old.stage)?.[0];
      const changes = this.changes({ Amount: Number(old.amount), ...(oldStage ? { Stage: oldStage } : {}) }, { Amount: amount, Stage: stage });
      await client.query(this.historySql(), [this.workspaceId, this.sheet.id, this.userId, JSON.stringify([{ record_id: id, action: 'update', changes }])]);
      return updated.rows[0];
    });
  }
}
