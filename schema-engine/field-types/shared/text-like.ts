import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, zodOptions, type FieldType, type JsonSchema } from '../field-type.js';
import { textCell } from './export-cells.js';

interface TextLikeSpec<O> {
  id: string;
  options: z.ZodType<O>;
  maxLength: number;
  /** Extra JSON Schema keywords (format, pattern) for a written value. */
  schema?: JsonSchema;
  /** SQL regular expression a converted value must match. */
  convertPattern?: string;
  /** Trim surrounding spaces on write (addresses, not prose). */
  trim?: boolean;
  /** What the user is told when a value fails `schema`. */
  invalidMessage?: string;
}

/** text, long_text, email, phone and url differ only in their checks: one factory. */
export function textLike<O>(spec: TextLikeSpec<O>): FieldType<O> {
  return defineFieldType<O>({
    id: spec.id,
    valueKind: 'text',
    parseOptions: zodOptions(spec.options) as (input: unknown) => O,
    storage: () => 'text',
    readOnly: false,
    formulaType: () => ({ kind: 'text' }),
    readsAsWritten: true,
    searchable: true,
    invalidMessage: spec.invalidMessage,
    inputSchema: () => ({ type: 'string', maxLength: spec.maxLength, ...spec.schema }),
    // Only the format is promised for what is read: values converted from another type passed `convertPattern`.
    outputSchema: () => ({ type: 'string', ...(spec.schema?.format ? { format: spec.schema.format } : {}) }),
    ...(spec.trim ? { normalize: (value: unknown) => (typeof value === 'string' ? value.trim() : value) } : {}),
    toStorage: (value) => String(value),
    fromStorage: (raw) => (raw === null || raw === '' ? undefined : raw),
    format: (value) => (value === undefined || value === null ? '' : String(value)),
    exportCell: textCell,
    toTextSql: (column) => column,
    fromTextSql: (text) => {
      const value = spec.trim ? sql`nullif(trim(${text}), '')` : sql`nullif(${text}, '')`;
      const short = sql`CASE WHEN length(${value}) <= ${sql.lit(spec.maxLength)} THEN ${value} END`;
      return spec.convertPattern ? sql`CASE WHEN ${value} ~* ${spec.convertPattern} THEN ${short} END` : short;
    },
  });
}
