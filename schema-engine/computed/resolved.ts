import { sql } from 'kysely';
import type { FieldDef } from '../catalog/model.js';
import type { ComputedValue, FieldType, LinkAggregate, Sql, ValueKind } from '../field-types/field-type.js';
import { fieldTypes, type FieldTypeId } from '../field-types/registry.js';
import { listCell } from '../field-types/shared/export-cells.js';
import { aggregateSelect, readElement } from './sql.js';

/** The type of what a scalar computed field gives: a stored type's module and options, for reading and formatting. */
export interface ResultType {
  type: FieldTypeId;
  options: unknown;
}

/**
 * A rollup or formula as it reads: its value SQL (or an aggregate over a link), read and formatted as its result type
 * (a currency rollup formats like a currency field), sorted and filtered by that type's kind.
 */
export function scalarResolved<O>(
  base: FieldType<O>,
  result: ResultType,
  value: ComputedValue['select'] | LinkAggregate,
  dependsOn: readonly string[],
  displayOptions?: unknown,
): FieldType<O> {
  const impl = fieldTypes[result.type];
  const computed: ComputedValue =
    typeof value === 'function' ? { select: value, dependsOn, result } : { select: aggregateSelect(value), viaLink: value, dependsOn, result };
  return {
    ...base,
    valueKind: impl.valueKind,
    fromStorage: (raw, _o, ctx) => impl.fromStorage(raw, result.options, ctx),
    outputSchema: () => impl.outputSchema(result.options),
    format: (value, _o, locale) => impl.format(value, result.options, locale),
    exportCell: (value, _o, ctx) => impl.exportCell(value, result.options, ctx),
    ...(impl.sortSql ? { sortSql: (column: Sql) => impl.sortSql!(column, result.options) } : {}),
    toTextSql: (column) => impl.toTextSql(column, result.options),
    computed: displayOptions ? { ...computed, displayOptions } : computed,
  };
}

/**
 * A link or lookup as it reads: a JSON array of its leaf's values, filtered by any element, sorted by the first;
 * selected as an aggregate over its link when it has one (`viaLink`).
 */
export function listResolved<O>(
  base: FieldType<O>,
  leaf: FieldDef,
  computed: Pick<ComputedValue, 'dependsOn'> & ({ select: ComputedValue['select'] } | { viaLink: LinkAggregate }) & { elements(alias: string): Sql },
  read?: (raw: unknown[], workspaceId: string) => unknown[],
): FieldType<O> {
  const readAll = read ?? ((raw: unknown[], workspaceId: string) => raw.map((r) => readElement(leaf, r, workspaceId)).filter((v) => v !== undefined));
  return {
    ...base,
    valueKind: leaf.impl.valueKind,
    fromStorage: (raw, _o, ctx) => {
      if (!Array.isArray(raw) || !raw.length) return undefined;
      const values = readAll(raw, ctx.workspaceId);
      return values.length ? values : undefined;
    },
    // The leaf's values in a list; a link reads its own elements (`read`: id and title), as its type module says.
    outputSchema: read ? base.outputSchema : () => ({ type: 'array', items: leaf.impl.outputSchema(leaf.options) }),
    format: (value) => (Array.isArray(value) ? value.map((v) => formatElement(leaf, v)).join(', ') : ''),
    // Links and lookups export as their titles (or values as shown), comma-joined.
    exportCell: (value) => listCell(value, (v) => formatElement(leaf, v)),
    toTextSql: (column) => sql`(SELECT string_agg(x.value #>> '{}', ', ') FROM jsonb_array_elements(${column}) AS x)`,
    computed: {
      ...('viaLink' in computed ? { select: aggregateSelect(computed.viaLink), viaLink: computed.viaLink } : { select: computed.select }),
      dependsOn: computed.dependsOn,
      list: { elements: computed.elements, leaf },
    },
  };
}

export function formatElement(leaf: FieldDef, value: unknown, locale = 'en'): string {
  if (value && typeof value === 'object' && 'title' in value) return String((value as { title: unknown }).title);
  return leaf.impl.format(value, leaf.options, locale);
}

/** A computed field that cannot be computed: it says why and reads as empty. */
export function brokenResolved<O>(base: FieldType<O>, error: string, dependsOn: readonly string[] = [], kind: ValueKind = base.valueKind, errorZh?: string): FieldType<O> {
  return {
    ...base,
    valueKind: kind,
    fromStorage: () => undefined,
    format: () => '',
    exportCell: () => undefined,
    computed: { select: () => sql`NULL::text`, dependsOn, error, ...(errorZh ? { errorZh } : {}) },
  };
}
