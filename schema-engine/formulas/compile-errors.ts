import { sql } from 'kysely';
import type { Sql } from '../field-types/field-type.js';
import type { Typed } from './compile-types.js';

/*
 * Errors as values (Airtable's #ERROR!): a value that is an error (÷ 0, √ of a negative, an impossible date) is SQL
 * NULL, so a record read never fails and the cell shows as empty. Alongside, each compiled value may carry `error`,
 * a boolean SQL expression that is true exactly when it is an error; ISERROR reads it. An operation is an error when
 * an argument it uses is (IF and SWITCH only count the branch they take), or when it fails itself.
 */

/** `value`, or NULL and an error where `failed` holds (a NULL `failed` is no error). */
export function failingWhen(value: Typed, failed: Sql): Typed {
  return { ...value, sql: sql`(CASE WHEN ${failed} THEN NULL ELSE ${value.sql} END)`, error: or([value.error, failed]) };
}

/** Any of the errors (undefined when none can happen). */
export function or(errors: (Sql | undefined)[]): Sql | undefined {
  const present = errors.filter((e): e is Sql => e !== undefined);
  if (!present.length) return undefined;
  return sql`(${sql.join(
    present.map((e) => sql`COALESCE(${e}, FALSE)`),
    sql` OR `,
  )})`;
}

/** The result of an operation carries its arguments' errors besides its own. */
export function withArgumentErrors(result: Typed, args: readonly Typed[]): Typed {
  const error = or([result.error, ...args.map((a) => a.error)]);
  return error === undefined ? result : { ...result, error };
}

/** ISERROR: never empty. */
export const isError = (t: Typed): Typed => ({ sql: t.error ?? sql`FALSE`, type: { kind: 'boolean' } });
