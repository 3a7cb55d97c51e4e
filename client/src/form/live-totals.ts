import { useQueries } from '@tanstack/react-query';
import { parseFormula, type Logic } from '../../../schema-engine/formulas/parser.js';
import { recordQuery } from '../api/queries.js';
import type { Field, LinkRef, RecordJson, Sheet } from '../api/types.js';
import { UnparsedNumber } from '../fields/number-text.js';

type Values = Record<string, unknown>;
/** A new linked record typed into a related list: `draft` holds its values as the controls have them. */
type Entry = LinkRef | { draft: Values };

export interface LiveContext {
  sheets: readonly Sheet[];
  /** A linked record already read, or undefined (its values are then not known yet). */
  linked(sheetId: string, id: string): RecordJson | undefined;
}

class Unsupported extends Error {}

const blank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const num = (v: unknown): number => {
  if (blank(v)) return 0;
  const n = Array.isArray(v) ? Number(v[0]) : Number(v);
  if (Number.isNaN(n)) throw new Unsupported('not a number');
  return n;
};
/** Half away from zero, as PostgreSQL rounds numerics. */
const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return (Math.sign(x) * Math.round(Math.abs(x) * f + 1e-9)) / f;
};
const isBlankCall = (l: Logic) => typeof l === 'object' && l !== null && !Array.isArray(l) && 'blank' in l;

/**
 * Evaluates a formula's logic (formulas/parser.ts) for values in the browser, for the arithmetic, rounding and
 * conditions totals use. Anything else throws, and the field is then shown as the server computes it, once saved.
 */
function evaluate(logic: Logic, get: (name: string) => unknown): unknown {
  if (logic === null || typeof logic !== 'object') return logic;
  if (Array.isArray(logic)) throw new Unsupported('list');
  const [op, raw] = Object.entries(logic)[0]!;
  const args = (Array.isArray(raw) ? raw : [raw]) as Logic[];
  const ev = (l: Logic) => evaluate(l, get);
  switch (op) {
    case 'var': {
      const v = get(String(args[0]));
      if (v instanceof UnparsedNumber) throw new Unsupported('unparsed');
      return v;
    }
    case 'blank':
      return null;
    case '+':
      return args.reduce<number>((sum, a) => sum + num(ev(a)), 0);
    case '*':
      return args.reduce<number>((product, a) => product * num(ev(a)), 1);
    case '-':
      return args.length === 1 ? -num(ev(args[0]!)) : num(ev(args[0]!)) - num(ev(args[1]!));
    case '/': {
      const d = num(ev(args[1]!));
      return d === 0 ? null : num(ev(args[0]!)) / d;
    }
    case 'round':
      return round(num(ev(args[0]!)), args[1] === undefined ? 0 : num(ev(args[1])));
    case 'if': {
      for (let i = 0; i + 1 < args.length; i += 2) if (truthy(ev(args[i]!))) return ev(args[i + 1]!);
      return args.length % 2 === 1 ? ev(args[args.length - 1]!) : null;
    }
    case '==':
    case '!=': {
      const [a, b] = args as [Logic, Logic];
      const same = isBlankCall(a) || isBlankCall(b) ? blank(ev(isBlankCall(a) ? b : a)) : !blank(ev(a)) && !blank(ev(b)) && ev(a) === ev(b);
      return op === '==' ? same : !same;
    }
    case '<':
      return num(ev(args[0]!)) < num(ev(args[1]!));
    case '<=':
      return num(ev(args[0]!)) <= num(ev(args[1]!));
    case '>':
      return num(ev(args[0]!)) > num(ev(args[1]!));
    case '>=':
      return num(ev(args[0]!)) >= num(ev(args[1]!));
    case 'and':
      return args.every((a) => truthy(ev(a)));
    case 'or':
      return args.some((a) => truthy(ev(a)));
    case 'not':
    case '!':
      return !truthy(ev(args[0]!));
    case 'min':
      return Math.min(...args.map((a) => num(ev(a))));
    case 'max':
      return Math.max(...args.map((a) => num(ev(a))));
    case 'abs':
      return Math.abs(num(ev(args[0]!)));
    // As formulas/compile-numbers.ts computes them; an error (÷ 0, √ of a negative) is empty there too.
    case 'int':
      return Math.floor(num(ev(args[0]!)));
    case 'ceiling':
    case 'floor': {
      const step = Math.abs(args[1] === undefined ? 1 : num(ev(args[1])));
      const x = num(ev(args[0]!));
      // A nudge against binary fractions (0.3 / 0.1 is 2.9999999999999996), where the server's numerics are exact.
      return step === 0 ? 0 : (op === 'ceiling' ? Math.ceil(x / step - 1e-9) : Math.floor(x / step + 1e-9)) * step;
    }
    case 'mod': {
      const [x, d] = [num(ev(args[0]!)), num(ev(args[1]!))];
      return d === 0 ? null : x - d * Math.floor(x / d);
    }
    case 'power': {
      const p = Math.pow(num(ev(args[0]!)), num(ev(args[1]!)));
      return Number.isFinite(p) ? p : null;
    }
    case 'sqrt': {
      const x = num(ev(args[0]!));
      return x < 0 ? null : Math.sqrt(x);
    }
    default:
      throw new Unsupported(op);
  }
}
const truthy = (v: unknown) => !blank(v) && v !== false && v !== 0;

const byRef = (sheet: Sheet, ref: unknown) => sheet.fields.find((f) => f.id === ref);

/**
 * The lookups, rollups and formulas of a record not saved yet, from the values typed into its form and into the new
 * rows of its related lists (a new quote's subtotal, tax and total as its line items are entered). A field whose
 * value cannot be known here (a function evaluated only by the server, a linked record not read yet) is left out.
 */
export function computeFields(sheet: Sheet, values: Values, ctx: LiveContext, depth = 0): Values {
  const out: Values = { ...values };
  const entries = (link: Field): Entry[] => (out[link.name] as Entry[] | undefined) ?? [];
  for (const lookup of sheet.fields.filter((f) => f.type === 'lookup')) {
    const link = byRef(sheet, lookup.options.link);
    const target = ctx.sheets.find((s) => s.id === link?.options.sheet);
    const field = target && byRef(target, lookup.options.field);
    if (!link || !target || !field) continue;
    const records = entries(link).map((e) => ('id' in e ? ctx.linked(target.id, e.id) : undefined));
    if (records.some((r) => !r)) continue;
    out[lookup.name] = records.flatMap((r) => {
      const v = r!.fields[field.name];
      return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
    });
  }
  const computedTypes = new Set(['lookup', 'rollup', 'formula']);
  // A computed field not known yet makes what reads it unknown too (never a total from a missing price).
  const read = (name: string) => {
    const f = sheet.fields.find((x) => x.name === name) ?? byRef(sheet, name);
    if (!f || (computedTypes.has(f.type) && !(f.name in out))) throw new Unsupported(`unknown ${name}`);
    return out[f.name];
  };
  const formulas = sheet.fields.filter((f) => f.type === 'formula' || f.type === 'rollup');
  // Formulas read one another (a total reads the tax): each pass settles at least one more.
  for (let pass = 0; pass <= formulas.length; pass++) {
    for (const field of formulas) {
      try {
        const value = field.type === 'rollup' ? rollup(field) : evaluate(parseFormula(String(field.options.expression)), read);
        if (value !== undefined) out[field.name] = value;
      } catch {
        // Not computable in the browser: left to the server.
      }
    }
  }
  return out;

  function rollup(field: Field): unknown {
    const link = byRef(sheet, field.options.link);
    const target = ctx.sheets.find((s) => s.id === link?.options.sheet);
    const over = target && byRef(target, field.options.field);
    if (!link || !target || !over || depth > 1) return undefined;
    // A new row whose value is not known (its price not read yet) leaves the total unknown.
    const found = entries(link).map((e) => {
      if (!('draft' in e)) return ctx.linked(target.id, e.id)?.fields;
      const row = computeFields(target, e.draft, ctx, depth + 1);
      return computedTypes.has(over.type) && !(over.name in row) ? undefined : row;
    });
    if (found.some((r) => !r)) return undefined;
    const list = found.map((r) => r![over.name]).filter((v) => !blank(v));
    const numbers = list.map(num);
    switch (field.options.fn) {
      case 'sum':
        return numbers.reduce((a, b) => a + b, 0);
      case 'avg':
        return numbers.length ? numbers.reduce((a, b) => a + b, 0) / numbers.length : null;
      case 'min':
        return numbers.length ? Math.min(...numbers) : null;
      case 'max':
        return numbers.length ? Math.max(...numbers) : null;
      case 'count':
        return list.length;
      case 'count_all':
        return found.length;
      default:
        throw new Unsupported(String(field.options.fn));
    }
  }
}

/**
 * A new record's computed fields, live: the linked records its lookups read (its own, and those of the new rows of
 * its related lists) are fetched, then `computeFields` runs over the values and rows as typed.
 */
export function useLiveTotals(ws: string, sheets: readonly Sheet[], sheet: Sheet, values: Values, rows: Record<string, Values>, enabled: boolean): Values {
  // The new rows not added yet are saved with the record, so they count too.
  const withRows: Values = { ...values };
  for (const field of sheet.fields) {
    const row = rows[field.name];
    if (field.type === 'link' && row && Object.values(row).some((v) => !blank(v))) withRows[field.name] = [...((values[field.name] as Entry[] | undefined) ?? []), { draft: row }];
  }
  return useComputed(ws, sheets, sheet, enabled ? [withRows] : [])[0] ?? {};
}

/** Records not saved yet (a related list's new rows), each with its computed fields, as `computeFields` has them. */
export function useComputed(ws: string, sheets: readonly Sheet[], sheet: Sheet | undefined, records: readonly Values[]): Values[] {
  const wanted: { sheet: string; id: string }[] = [];
  const collect = (s: Sheet, vals: Values, depth: number) => {
    for (const field of s.fields) {
      if (field.type !== 'link') continue;
      for (const e of (vals[field.name] as Entry[] | undefined) ?? []) {
        if ('id' in e) wanted.push({ sheet: String(field.options.sheet), id: e.id });
        else if (depth === 0) {
          const target = sheets.find((x) => x.id === field.options.sheet);
          if (target) collect(target, e.draft, 1);
        }
      }
    }
  };
  if (sheet) for (const values of records) collect(sheet, values, 0);
  const results = useQueries({ queries: wanted.map((w) => recordQuery(ws, w.sheet, w.id)) });
  if (!sheet) return [];
  const found = new Map(wanted.map((w, i) => [`${w.sheet}/${w.id}`, results[i]?.data]));
  return records.map((values) => computeFields(sheet, values, { sheets, linked: (s, id) => found.get(`${s}/${id}`) }));
}
