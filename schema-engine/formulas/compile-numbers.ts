import { sql } from 'kysely';
import type { Sql } from '../field-types/field-type.js';
import { failingWhen } from './compile-errors.js';
import { asNumber, numericType, withPrecision, type Typed } from './compile-types.js';

/*
 * Number functions as Excel and Airtable answer them; an empty number gives an empty result (as ROUND and ABS).
 * A failing case (÷ 0, √ of a negative, 0 to a negative power, a negative to a fractional one, an overflowing power)
 * is an error: NULL, which ISERROR sees. PostgreSQL folds constant arguments while planning, whatever a CASE around
 * them decides, so each function is given harmless arguments in those cases rather than being guarded by CASE alone.
 */

const decimalsOf = (t: Typed | undefined) => (t === undefined ? 0 : t.literalNumber === undefined || /e/i.test(String(t.literalNumber)) ? undefined : (String(Math.abs(t.literalNumber)).split('.')[1]?.length ?? 0));

export function numberFunction(op: string, args: Typed[]): Typed | undefined {
  const [a, b] = args;
  const name = op.toUpperCase();
  switch (op) {
    case 'ceiling':
    case 'floor': {
      // The nearest multiple of |significance| above (below) the number; a significance of 0 gives 0, as Excel's.
      const x = asNumber(a!, name);
      const step = b ? sql`abs(COALESCE(${asNumber(b, name)}, 1))` : sql`1::numeric`;
      const value = sql`(CASE WHEN ${step} = 0 THEN 0 ELSE ${sql.raw(op === 'ceiling' ? 'ceil' : 'floor')}((${x}) / NULLIF(${step}, 0)) * ${step} END)`;
      return { sql: value, type: withPrecision(numericType(a!, name), decimalsOf(b)) };
    }
    case 'int':
      return { sql: sql`floor(${asNumber(a!, name)})`, type: withPrecision(numericType(a!, name), 0) };
    case 'mod': {
      // Excel's: the remainder has the divisor's sign, x − d·floor(x / d).
      const [x, d] = [asNumber(a!, name), asNumber(b!, name)];
      const value = sql`((${x}) - (${d}) * floor((${x}) / NULLIF(${d}, 0)))`;
      return failingWhen({ sql: value, type: numericType(a!, name) }, sql`(COALESCE(${d}, 0) = 0)`);
    }
    case 'power': {
      const [base, exponent] = [asNumber(a!, name), asNumber(b!, name)];
      numericType(b!, name);
      const bad = sql`((${base} = 0 AND ${exponent} < 0) OR (${base} < 0 AND ${exponent} <> trunc(${exponent})) OR (${base} <> 0 AND abs(${exponent} * ln(greatest(abs(${base}), 1e-300))) > 2300))`;
      const safe = (x: Sql) => sql`(CASE WHEN ${bad} THEN 1 ELSE ${x} END)`;
      return failingWhen({ sql: sql`power(${safe(base)}, ${safe(exponent)})`, type: { kind: 'number' } }, bad);
    }
    case 'sqrt': {
      const x = asNumber(a!, name);
      return failingWhen({ sql: sql`sqrt(CASE WHEN ${x} < 0 THEN 0 ELSE ${x} END)`, type: { kind: 'number' } }, sql`(${x} < 0)`);
    }
    default:
      return undefined;
  }
}
