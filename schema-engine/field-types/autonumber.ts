import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, zodOptions } from './field-type.js';
import { textCell } from './shared/export-cells.js';

const options = z
  .object({
    prefix: z.string().max(20).default(''),
    digits: z.number().int().min(0).max(12).default(0),
  })
  .strict();
type Options = z.output<typeof options>;

export const formatAutonumber = (n: number | string, o: Options) => `${o.prefix}${String(n).padStart(o.digits, '0')}`;

// The number is stored; prefix and padding are applied when read, so changing them rewrites no rows.
export const autonumber = defineFieldType<Options>({
  id: 'autonumber',
  valueKind: 'autonumber',
  parseOptions: zodOptions(options),
  storage: () => 'bigint',
  sequence: true,
  readOnly: true,
  formulaType: () => undefined,
  searchable: false,
  inputSchema: () => ({}),
  // Its prefix and padded number, as text (`Q-000042`).
  outputSchema: () => ({ type: 'string' }),
  toStorage: () => null,
  fromStorage: (raw, o) => (raw === null || raw === undefined ? undefined : formatAutonumber(raw as string, o)),
  format: (value) => String(value ?? ''),
  exportCell: textCell,
  // lpad also cuts: never shorter than the number itself.
  toTextSql: (column, o) => sql`(${o.prefix} || lpad((${column})::text, greatest(${sql.lit(o.digits)}, length((${column})::text)), '0'))`,
  fromTextSql: () => sql`NULL::bigint`,
});
