import { sql } from 'kysely';
import { z } from 'zod';
import { bindThroughLink, resolveThroughLink, type ThroughLinkOptions } from '../computed/references.js';
import { brokenResolved, scalarResolved, type ResultType } from '../computed/resolved.js';
import { NUMERIC_RESULTS, resultOf, TEMPORAL_RESULTS } from '../computed/result-of.js';
import { leafOf, linkedValues, throughLink } from '../computed/sql.js';
import { defineFieldType, zodOptions, type Sql, type FieldType } from './field-type.js';
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
    const over = (alias: string, inner: (c: string) => Sql) => throughLink(resolver.ws, link, alias, inner);
    const aggregate = (fn: (v: Sql, o: Sql) => Sql) => (alias: string) => {
      const r = `${alias}r`;
      return sql`(SELECT ${fn(sql.ref(`${r}.v`), sql.ref(`${r}.o`))} FROM (${linkedValues(resolver.ws, link, target, alias)}) AS ${sql.id(r)})`;
    };
    const numeric = NUMERIC_RESULTS.has(leafResult.type);
    const needs = (what: string) => brokenResolved(rollup, `${o.fn} needs ${what}; "${target.name}" holds ${leafResult.type} values`, dependsOn);
    switch (o.fn) {
      case 'sum': {
        if (!numeric) return needs('numbers');
        const sum = aggregate((v) => sql`sum(${v})`);
        return scalarResolved(rollup, leafResult, (alias) => sql`COALESCE(${sum(alias)}, 0)`, dependsOn);
      }
      case 'avg':
        if (!numeric) return needs('numbers');
        return scalarResolved(rollup, leafResult, aggregate((v) => sql`avg(${v})`), dependsOn);
      case 'min':
      case 'max': {
        if (!numeric && !TEMPORAL_RESULTS.has(leafResult.type)) return needs('numbers or dates');
        const result = TEMPORAL_RESULTS.has(leafResult.type) && leafResult.type !== 'date' ? { type: 'datetime' as const, options: {} } : leafResult;
        return scalarResolved(rollup, result, aggregate((v) => sql`${sql.raw(o.fn)}(${v})`), dependsOn);
      }
      case 'count':
        return scalarResolved(rollup, COUNT, aggregate(() => sql`count(*)`), dependsOn);
      case 'count_all': {
        // Every linked record, whether or not the field has a value.
        const one = () => sql`SELECT 1 AS v, '{}'::bigint[] AS o`;
        return scalarResolved(rollup, COUNT, (alias) => sql`(SELECT count(*) FROM (${over(alias, one)}) AS ${sql.id(`${alias}r`)})`, dependsOn);
      }
      case 'concat':
        return scalarResolved(
          rollup,
          { type: 'text', options: {} },
          aggregate((v, order) => sql`string_agg(${leaf.impl.toTextSql(v, leaf.options)}, ', ' ORDER BY ${order})`),
          dependsOn,
        );
    }
  },
});
