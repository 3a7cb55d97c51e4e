import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Db } from '../db.js';
import type { Engine } from '../engine.js';
import { fetchRows, isRecordId } from './fetch.js';
import { toRecord, type ReadOptions, type RecordJson, type RecordRow } from './read.js';

/** Ids per statement: a long `ANY` list would only make one slow answer of many quick ones. */
const MAX_IDS = 100;

interface Batch {
  ws: WorkspaceOverview;
  ids: Set<string>;
  waiters: { id: string; resolve: (row: RecordRow | undefined) => void; reject: (error: unknown) => void }[];
}

/**
 * Reads of single live records that arrive together (concurrent GET /records/:id) share one statement per sheet
 * snapshot and event-loop turn. On a busy server the round trip to PostgreSQL (a socket write that wakes another
 * process) costs more than the index lookup, and requests read in one turn of the loop would each pay it.
 * A read is never delayed past the turn it arrived in, so it sees every write committed before it was made.
 */
export class RecordLoader {
  private batches = new Map<SheetDef, Batch>();
  private scheduled = false;

  constructor(private readonly db: Db) {}

  /** The live row of record `id` (an id that passed isRecordId), or undefined. */
  load(ws: WorkspaceOverview, sheet: SheetDef, id: string): Promise<RecordRow | undefined> {
    return new Promise((resolve, reject) => {
      let batch = this.batches.get(sheet);
      if (!batch) {
        batch = { ws, ids: new Set(), waiters: [] };
        this.batches.set(sheet, batch);
      }
      batch.ids.add(id);
      batch.waiters.push({ id, resolve, reject });
      if (batch.waiters.length >= MAX_IDS) {
        this.batches.delete(sheet);
        void this.run(sheet, batch);
      } else if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate runs after the I/O callbacks of this turn: every request read in it has been queued by then.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batches = this.batches;
    this.batches = new Map();
    for (const [sheet, batch] of batches) void this.run(sheet, batch);
  }

  private async run(sheet: SheetDef, batch: Batch): Promise<void> {
    try {
      const rows = await fetchRows(this.db, batch.ws, sheet, [...batch.ids]);
      const byId = new Map(rows.map((row) => [String(row.id), row]));
      for (const waiter of batch.waiters) waiter.resolve(byId.get(waiter.id));
    } catch (error) {
      for (const waiter of batch.waiters) waiter.reject(error);
    }
  }
}

/** One live record as the API shows it, or undefined; concurrent calls share a statement (see RecordLoader). */
export async function readRecord(engine: Engine, ws: WorkspaceOverview, sheet: SheetDef, id: string, options: ReadOptions = {}): Promise<RecordJson | undefined> {
  if (!isRecordId(id)) return undefined;
  const row = await engine.records.load(ws, sheet, id);
  return row && toRecord(row, sheet, { workspaceId: ws.id }, options);
}
