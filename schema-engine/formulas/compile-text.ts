import { sql } from 'kysely';
import type { Sql } from '../field-types/field-type.js';
import { failingWhen } from './compile-errors.js';
import { asNumber, asText, describe, describeZh, fail, isNumeric, type Typed } from './compile-types.js';

/*
 * Text functions, as a spreadsheet answers them: positions count characters (not bytes) from 1, an empty text is "",
 * an empty count is 0. A negative count, a start before 1 or an occurrence below 1 is an error (NULL; see ISERROR).
 */

const text = (s: Sql): Typed => ({ sql: s, type: { kind: 'text' } });
const whole = (s: Sql): Typed => ({ sql: s, type: { kind: 'number', precision: 0 } });

/** A count or position as an int: floor of the number (empty is `empty`), clamped so no cast can fail. */
const int = (t: Typed, what: string, empty: number): Sql => sql`least(greatest(floor(COALESCE(${asNumber(t, what)}, ${sql.lit(empty)})), -1), 1000000000)::int`;

export function textFunction(op: string, args: Typed[]): Typed | undefined {
  const [a, b, c, d] = args;
  switch (op) {
    case 'concatenate':
      return text(sql`(${sql.join(args.map((x) => asText(x)), sql` || `)})`);
    case 'left':
    case 'right': {
      const n = int(b!, op.toUpperCase(), 0);
      return failingWhen(text(sql`${sql.raw(op)}(${asText(a!)}, greatest(${n}, 0))`), sql`${n} < 0`);
    }
    case 'mid': {
      const start = int(b!, 'MID', 1);
      const count = int(c!, 'MID', 0);
      return failingWhen(text(sql`substr(${asText(a!)}, greatest(${start}, 1), greatest(${count}, 0))`), sql`(${start} < 1 OR ${count} < 0)`);
    }
    case 'find': {
      const [needle, haystack] = [asText(a!), asText(b!)];
      const start = c ? sql`greatest(${int(c, 'FIND', 1)}, 1)` : sql`1`;
      const found = sql`strpos(substr(${haystack}, ${start}), ${needle})`;
      return whole(sql`(CASE WHEN ${start} > char_length(${haystack}) + 1 OR ${found} = 0 THEN 0 ELSE ${found} + ${start} - 1 END)::numeric`);
    }
    case 'substitute':
      return substitute(asText(a!), asText(b!), asText(c!), d);
    case 'trim':
      return text(sql`regexp_replace(${asText(a!)}, '^\\s+|\\s+$', '', 'g')`);
    case 'text':
    case 'format':
      return formatNumber(a!, b, op.toUpperCase());
    default:
      return undefined;
  }
}

/** Every occurrence of `old` replaced, or only the n-th (text unchanged when there are fewer). */
function substitute(t: Sql, old: Sql, replacement: Sql, occurrence: Typed | undefined): Typed {
  if (!occurrence) return text(sql`replace(${t}, ${old}, ${replacement})`);
  const n = int(occurrence, 'SUBSTITUTE', 0);
  const parts = sql`string_to_array(${t}, ${old})`;
  const nth = sql`(CASE WHEN cardinality(${parts}) > ${n} THEN array_to_string((${parts})[1:${n}], ${old}) || ${replacement} || array_to_string((${parts})[${n} + 1:], ${old}) ELSE ${t} END)`;
  return failingWhen(text(nth), sql`${n} < 1`);
}

const FORMAT = /^(#,##)?0(?:\.(0+))?(%)?$/;

/**
 * A number as text. Without a format as `&` shows it (2.50 → "2.5"); formats (a text literal): "0" whole, "0.00"
 * decimals, "#,##0" and "#,##0.00" thousands separators, a trailing "%" shows ×100 with a percent sign. Rounded half
 * away from zero. Empty stays empty.
 */
function formatNumber(value: Typed, format: Typed | undefined, name: string): Typed {
  if (!isNumeric(value.type) && value.type.kind !== 'boolean' && value.type.kind !== 'blank') {
    const hint = value.type.kind === 'date' || value.type.kind === 'datetime' ? '; use DATETIME_FORMAT for dates' : '';
    const hintZh = hint ? '；日期請用 DATETIME_FORMAT' : '';
    fail(`${name} needs a number, not ${describe(value.type)}${hint}`, `${name} 需要數字，不能是${describeZh(value.type)}${hintZh}`);
  }
  const x = asNumber(value, name);
  if (!format) return text(sql`trim_scale(${x})::text`);
  const match = format.literal === undefined ? null : FORMAT.exec(format.literal);
  if (!match) {
    const formats = '"0", "0.00", "#,##0", "#,##0.00", "0%" or "0.0%"';
    return fail(`${name}'s format must be written as text such as ${formats}`, `${name} 的格式必須是文字，例如 ${formats}`);
  }
  const [, grouped, decimals = '', percent] = match;
  const digits = Math.min(decimals.length, 20);
  const rounded = sql`round(${percent ? sql`(${x}) * 100` : x}, ${sql.lit(digits)})::text`;
  const intPart = sql`split_part(${rounded}, '.', 1)`;
  const integer = grouped ? sql`regexp_replace(${intPart}, '(\\d)(?=(\\d{3})+$)', '\\1,', 'g')` : intPart;
  const fraction = digits ? sql` || '.' || split_part(${rounded}, '.', 2)` : sql``;
  return text(sql`(${integer}${fraction}${sql.raw(percent ? ` || '%'` : '')})`);
}
