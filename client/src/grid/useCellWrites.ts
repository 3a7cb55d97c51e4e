import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef } from 'react';
import { ApiError, api } from '../api/http.js';
import { keys, recordChanged, recordPath, sheetPath } from '../api/queries.js';
import type { Field, RecordJson } from '../api/types.js';
import { toInput } from '../fields/controls.js';

/** One record's part of an undo step: its values before and after (as the API takes them), its version once written. */
interface Entry {
  recordId: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  version: number;
  /** Added by the step (a paste below the last row): undone by deleting it. */
  created?: boolean;
}
/** What one user action wrote (an edit, a clear, a paste, a fill): undone and redone as one. */
export type Step = Entry[];

/** New values for some fields of a record, as the API takes them. */
export interface CellChange {
  record: RecordJson;
  values: Record<string, unknown>;
}

export interface WriteFailure {
  recordId: string;
  message: string;
  /** Someone else changed the record meanwhile (409): it was left as they saved it. */
  conflict: boolean;
}

export interface WriteOutcome {
  /** Records written (or added, or deleted by an undo). */
  done: number;
  failures: WriteFailure[];
}

/** Undo steps kept per grid. */
const DEPTH = 100;
/** Writes in flight at once: a paste of many rows neither waits on each nor floods the server. */
const PARALLEL = 4;

async function eachLimited<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
}

/** What a refused write says: each field's problem ("Code must be unique"), else the error's own sentence. */
function failureOf(recordId: string, error: unknown): WriteFailure {
  if (!(error instanceof ApiError)) return { recordId, message: error instanceof Error ? error.message : String(error), conflict: false };
  const problems = Object.entries(error.fields).map(([name, problem]) => `${name} ${problem}`);
  return { recordId, message: problems.length ? problems.join('; ') : error.message, conflict: error.code === 'version_conflict' };
}

/**
 * The grid's writes of whole cells (a cleared range, a paste, a fill, an inline edit) and their undo: every write
 * names the version it was made over, so an undo never overwrites a change someone else made meanwhile (409: the
 * record is left as they saved it and the user is told).
 */
export function useCellWrites(ws: string, sheetId: string, fields: readonly Field[]) {
  const client = useQueryClient();
  const undos = useRef<Step[]>([]);
  const redos = useRef<Step[]>([]);
  const fieldsRef = useRef(fields);
  fieldsRef.current = fields;

  const remember = useCallback((step: Step) => {
    if (!step.length) return;
    undos.current = [...undos.current.slice(1 - DEPTH), step];
    redos.current = [];
  }, []);

  const patch = useCallback(
    async (recordId: string, values: Record<string, unknown>, version: number): Promise<RecordJson> => {
      try {
        const saved = await api<RecordJson>('PATCH', recordPath(ws, sheetId, recordId), { fields: values, version });
        recordChanged(client, ws, sheetId, saved);
        return saved;
      } catch (error) {
        // Their version replaces ours in the grid, so what the user sees is what is stored.
        if (error instanceof ApiError && error.code === 'version_conflict' && error.details.current) recordChanged(client, ws, sheetId, error.details.current as RecordJson);
        throw error;
      }
    },
    [client, ws, sheetId],
  );

  /** Writes the changes, one PATCH per record over the version shown; what was written becomes one undo step. */
  const write = useCallback(
    async (changes: readonly CellChange[], added: readonly Record<string, unknown>[] = []): Promise<WriteOutcome> => {
      const byName = new Map(fieldsRef.current.map((f) => [f.name, f]));
      const step: Step = [];
      const failures: WriteFailure[] = [];
      await eachLimited(changes, async ({ record, values }) => {
        const before = Object.fromEntries(Object.keys(values).map((name) => [name, toInput(byName.get(name)!, record.fields[name])]));
        const changed = Object.keys(values).filter((name) => JSON.stringify(values[name] ?? null) !== JSON.stringify(before[name] ?? null));
        if (!changed.length) return;
        const pick = (from: Record<string, unknown>) => Object.fromEntries(changed.map((name) => [name, from[name] ?? null]));
        try {
          const saved = await patch(record.id, pick(values), record.version);
          step.push({ recordId: record.id, before: pick(before), after: pick(values), version: saved.version });
        } catch (error) {
          failures.push(failureOf(record.id, error));
        }
      });
      if (added.length) {
        try {
          // All or nothing, as the batch create is.
          const { records } = await api<{ records: RecordJson[] }>('POST', `${sheetPath(ws, sheetId)}/records`, { records: added.map((values) => ({ fields: values })) });
          records.forEach((r, i) => step.push({ recordId: r.id, before: {}, after: added[i]!, version: r.version, created: true }));
        } catch (error) {
          failures.push(failureOf('', error));
        }
        void client.invalidateQueries({ queryKey: keys.records(ws, sheetId) });
      }
      remember(step);
      return { done: step.length, failures };
    },
    [client, ws, sheetId, patch, remember],
  );

  /** Writes a step's values back (undo) or again (redo); the entries that succeeded, with their new versions. */
  const replay = useCallback(
    async (step: Step, back: boolean): Promise<{ step: Step; outcome: WriteOutcome }> => {
      const done: Step = [];
      const failures: WriteFailure[] = [];
      const readd = back ? [] : step.filter((e) => e.created);
      let listChanged = false;
      if (readd.length) {
        // Added again in one batch, in their order (they are listed in the order they were created).
        try {
          const { records } = await api<{ records: RecordJson[] }>('POST', `${sheetPath(ws, sheetId)}/records`, { records: readd.map((e) => ({ fields: e.after })) });
          records.forEach((r, i) => done.push({ ...readd[i]!, recordId: r.id, version: r.version }));
          listChanged = true;
        } catch (error) {
          failures.push(failureOf('', error));
        }
      }
      await eachLimited(back ? step : step.filter((e) => !e.created), async (entry) => {
        try {
          if (entry.created) {
            await api('DELETE', recordPath(ws, sheetId, entry.recordId));
            listChanged = true;
            done.push(entry);
          } else {
            const saved = await patch(entry.recordId, back ? entry.before : entry.after, entry.version);
            done.push({ ...entry, version: saved.version });
          }
        } catch (error) {
          failures.push(failureOf(entry.recordId, error));
        }
      });
      if (listChanged) void client.invalidateQueries({ queryKey: keys.records(ws, sheetId) });
      return { step: done, outcome: { done: done.length, failures } };
    },
    [client, ws, sheetId, patch],
  );

  /** Undoes the last step; null when there is none. What could not be undone is dropped from the redo step. */
  const undo = useCallback(async (): Promise<WriteOutcome | null> => {
    const step = undos.current.at(-1);
    if (!step) return null;
    undos.current = undos.current.slice(0, -1);
    const { step: done, outcome } = await replay(step, true);
    if (done.length) redos.current = [...redos.current, done];
    return outcome;
  }, [replay]);

  const redo = useCallback(async (): Promise<WriteOutcome | null> => {
    const step = redos.current.at(-1);
    if (!step) return null;
    redos.current = redos.current.slice(0, -1);
    const { step: done, outcome } = await replay(step, false);
    if (done.length) undos.current = [...undos.current.slice(1 - DEPTH), done];
    return outcome;
  }, [replay]);

  /** Keeps an edit saved elsewhere (the inline editor) as an undo step. */
  const remembered = useCallback(
    (before: RecordJson, saved: RecordJson, values: Record<string, unknown>) => {
      const byName = new Map(fieldsRef.current.map((f) => [f.name, f]));
      const old = Object.fromEntries(Object.keys(values).map((name) => [name, toInput(byName.get(name)!, before.fields[name]) ?? null]));
      remember([{ recordId: saved.id, before: old, after: values, version: saved.version }]);
    },
    [remember],
  );

  return useMemo(() => ({ write, undo, redo, remembered }), [write, undo, redo, remembered]);
}
