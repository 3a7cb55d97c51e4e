import { sql } from 'kysely';
import { z } from 'zod';
import { bindThroughLink, resolveThroughLink, type ThroughLinkOptions } from '../computed/references.js';
import { brokenResolved, scalarResolved, type ResultType } from '../computed/resolved.js';
import { isDatetimeResult, isNumericResult, isTemporalResult, resultOf } from '../computed/result-of.js';
import { leafOf, linkedValues, overLink, rawValue } from '../computed/sql.js';
import { defineFieldType, zodOptions, type ComputedValue, type FieldType, type LinkAggregate, type Sql } from './field-type.js';
import { computedDefaults } from './shared/computed.js';

export const ROLLUP_FUNCTIONS = ['sum', 'avg', 'min', 'max', 'count', 'count_all', 'concat'] as const;
type RollupFunction = (typeof ROLLUP_FUNCTIONS)[number];

const options = z.object({ link: z.string().min(1).max(200), field: z.string().min(1).max(200), fn: z.enum(ROLLUP_FUNCTIONS) }).strict();
type RollupOptions = ThroughLinkOptions & { fn: RollupFunction };

const COUNT: ResultType = { type: 'number', options: { precision: 0 } };

/** One value summarizing a field of the linked records: computed in the same statement as the record. */
export const rollup: FieldType<RollupOptions> = defineFieldType<RollupOptions>({
  id: 'rollup',
  valueKind: 'number',
  parseOptions: zodOptions(options),
  bindOptions: bindThroughLink,
  ...computedDefaults,
  resolve(field, resolver): FieldType<RollupOptions> {
    const o = field.options as RollupOptions;
    const found = resolveThroughLink(field, o, resolver);
    if ('error' in found) return brokenResolved(rollup, found.error);
    const { link, target } = found;
    const leaf = leafOf(target);
    const leafResult = resultOf(leaf);
    const dependsOn = [link.id, target.id];
    const ws = resolver.ws;
    // `fn` aggregates the values `v` in order `o`, ignoring empty ones as aggregates do. A target with one value per
    // linked record is aggregated straight over the linked records (a listing joins each link once for all such
    // values); a list target (a lookup, a link) over its non-empty elements.
    const aggregate = (fn: (v: Sql, o: Sql) => Sql, value: (x: Sql) => Sql = (x) => x): ComputedValue['select'] | LinkAggregate => {
      if (!target.impl.computed?.list) return overLink(ws, link, (alias) => fn(rawValue(target, `${alias}c`), sql.ref(`${alias}j.n`)), value);
      return (alias) => {
        const r = `${alias}r`;
        return value(sql`(SELECT ${fn(sql.ref(`${r}.v`), sql.ref(`${r}.o`))} FROM (${linkedValues(ws, link, target, alias)}) AS ${sql.id(r)})`);
      };
    };
    const numeric = isNumericResult(leafResult);
    const needs = (what: string) => brokenResolved(rollup, `${o.fn} needs ${what}; "${target.name}" holds ${leafResult.type} values`, dependsOn);
    switch (o.fn) {
      case 'sum':
        if (!numeric) return needs('numbers');
        return scalarResolved(rollup, leafResult, aggregate((v) => sql`sum(${v})`, (x) => sql`COALESCE(${x}, 0)`), dependsOn);
      case 'avg':
        if (!numeric) return needs('numbers');
        return scalarResolved(rollup, leafResult, aggregate((v) => sql`avg(${v})`), dependsOn);
      case 'min':
      case 'max': {
        if (!numeric && !isTemporalResult(leafResult)) return needs('numbers or dates');
        // The latest created time is a date-time like any other.
        const result = isDatetimeResult(leafResult) ? { type: 'datetime' as const, options: {} } : leafResult;
        return scalarResolved(rollup, result, aggregate((v) => sql`${sql.raw(o.fn)}(${v})`), dependsOn);
      }
      case 'count':
        return scalarResolved(rollup, COUNT, aggregate((v) => sql`count(${v})`), dependsOn);
      case 'count_all':
        // Every linked record, whether or not the field has a value.
        return scalarResolved(rollup, COUNT, overLink(ws, link, () => sql`count(*)`), dependsOn);
      case 'concat':
        return scalarResolved(
          rollup,
          { type: 'text', options: {} },
          aggregate((v, order) => sql`string_agg(${leaf.impl.toTextSql(v, leaf.options)}, ', ' ORDER BY ${order}) FILTER (WHERE ${v} IS NOT NULL)`),
          dependsOn,
        );
    }
  },
});
