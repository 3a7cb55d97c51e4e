import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ruleHolds } from '../../../schema-engine/rules/operations.js';
import { useAccess } from '../api/access.js';
import { api } from '../api/http.js';
import { sheetPath } from '../api/queries.js';
import type { Sheet } from '../api/types.js';

/** A rule of a sheet as GET …/rules answers it; lock rules name the fields they lock (null: all). */
export interface SheetRule {
  id: string;
  /** Only lock rules say their kind. */
  kind?: 'lock';
  condition: unknown;
  message: string;
  lockedFields?: string[] | null;
}

/** What the sheet's lock rules hold locked on one record: each locked field's reason, and whether all are. */
export interface RecordLock {
  /** Field name → the message of the rule locking it. */
  fields: ReadonlyMap<string, string>;
  /** A rule locks every field (the record cannot be deleted either): its message. */
  all?: string;
}

/** A record's lock, or undefined when nothing of it is locked. */
export type LockOf = (values: Readonly<Record<string, unknown>>) => RecordLock | undefined;

const NO_LOCK: LockOf = () => undefined;

/** Which fields of a saved record its lock rules hold (as the server does: over the record as saved). */
export function lockOfRules(sheet: Sheet, rules: readonly SheetRule[]): LockOf {
  const locks = rules.filter((r) => r.kind === 'lock');
  if (!locks.length) return NO_LOCK;
  return (record) => {
    const values = Object.fromEntries(sheet.fields.map((f) => [f.name, record[f.name] ?? null]));
    const fields = new Map<string, string>();
    let all: string | undefined;
    for (const rule of locks) {
      let holds = false;
      try {
        holds = ruleHolds(rule.condition, values);
      } catch {
        // A rule that cannot be evaluated locks nothing, as on the server.
      }
      if (!holds) continue;
      const names = rule.lockedFields ?? sheet.fields.map((f) => f.name);
      if (!rule.lockedFields) all ??= rule.message;
      for (const name of names) if (!fields.has(name)) fields.set(name, rule.message);
    }
    return fields.size ? { fields, ...(all !== undefined ? { all } : {}) } : undefined;
  };
}

/**
 * The sheet's lock rules for the caller: designers are not held by them (the server lets them correct an issued
 * record), everyone else sees the locked fields disabled with the rule's reason.
 */
export function useLockOf(ws: string, sheet: Sheet | undefined): LockOf {
  const access = useAccess(ws);
  const rules = useQuery({
    queryKey: ['rules', ws, sheet?.id],
    queryFn: () => api<SheetRule[]>('GET', `${sheetPath(ws, sheet!.id)}/rules`),
    enabled: sheet !== undefined,
    staleTime: 60_000,
  });
  const designer = access?.design === true;
  return useMemo(() => (designer || !rules.data || !sheet ? NO_LOCK : lockOfRules(sheet, rules.data)), [designer, rules.data, sheet]);
}
