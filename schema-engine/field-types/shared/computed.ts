import { sql } from 'kysely';

/**
 * What every computed type (lookup, rollup, formula) has in common before it is resolved against a catalog: no
 * column, no writes, no search; reading, formatting and conversion come from the resolved field (computed/).
 */
export const computedDefaults = {
  storage: () => null,
  readOnly: true,
  formulaType: () => undefined,
  searchable: false,
  inputSchema: () => ({}),
  // Unresolved: nothing is known of the value; the resolved field describes it (computed/resolved.ts).
  outputSchema: () => ({}),
  toStorage: () => null,
  fromStorage: () => undefined,
  format: () => '',
  exportCell: () => undefined,
  toTextSql: () => sql`NULL::text`,
  fromTextSql: () => sql`NULL`,
} as const;
