import { sql } from 'kysely';
import type { Db } from '../db.js';
import type { Problem } from './store.js';

const FLUSH_EVERY_MS = 1000;

/**
 * An import's counts and problems as it runs, written to its row after a batch (at most once a second) on the pool
 * (outside the import's own transaction, which commits only at the end), so the wizard's progress bar and a page
 * reload see them; answers whether a cancel was asked for meanwhile.
 */
export class Progress {
  processed = 0;
  inserted = 0;
  updated = 0;
  skipped = 0;
  problemCount = 0;
  private pending: Problem[] = [];
  private flushedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly importId: string,
  ) {}

  /** A run that starts again (after its server stopped) starts from nothing, as its transaction did. */
  async reset(): Promise<void> {
    await this.db.deleteFrom('import_problems').where('import_id', '=', this.importId).execute();
    await this.db.updateTable('imports').set({ processed: 0, inserted: 0, updated: 0, skipped: 0, problem_count: 0 }).where('id', '=', this.importId).execute();
  }

  add(problem: Problem): void {
    this.pending.push(problem);
    this.problemCount++;
  }

  /**
   * Whether a second has passed since the last flush: often enough for the progress bar and a cancel, while the
   * statements of a flush after every batch of a fast import (100 a minute) would be work for nobody.
   */
  due(): boolean {
    return Date.now() - this.flushedAt >= FLUSH_EVERY_MS;
  }

  /** Writes what is new; true when the import was cancelled meanwhile. */
  async flush(): Promise<boolean> {
    this.flushedAt = Date.now();
    const problems = this.pending;
    this.pending = [];
    const first = this.problemCount - problems.length;
    for (let at = 0; at < problems.length; at += 5000) {
      const chunk = problems.slice(at, at + 5000).map((p, i) => ({ ...p, seq: first + at + i }));
      await sql`
        INSERT INTO import_problems (import_id, seq, row, "column", value, reason)
        SELECT ${this.importId}, p.seq, p.row, p."column", p.value, p.reason
        FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS p(seq integer, row integer, "column" text, value text, reason text)`.execute(this.db);
    }
    const row = await this.db
      .updateTable('imports')
      .set({ processed: this.processed, inserted: this.inserted, updated: this.updated, skipped: this.skipped, problem_count: this.problemCount, updated_at: new Date() })
      .where('id', '=', this.importId)
      .returning('cancel_requested')
      .executeTakeFirst();
    return row?.cancel_requested ?? true;
  }
}
