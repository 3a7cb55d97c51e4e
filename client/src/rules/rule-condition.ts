import type { Field } from '../api/types.js';
import { fromJsonLogic, toJsonLogic, type Group } from '../filters/filter-logic.js';

/**
 * The API answers a rule's condition with field names in its vars (displayCondition); the builder works with ids.
 * A var naming no field of the sheet is left as it is (the server reads it as empty).
 */
export function withFieldIds(fields: readonly Field[], logic: unknown): unknown {
  if (Array.isArray(logic)) return logic.map((part) => withFieldIds(fields, part));
  if (typeof logic !== 'object' || logic === null) return logic;
  const entries = Object.entries(logic);
  if (entries.length === 1 && entries[0]![0] === 'var') {
    const ref = entries[0]![1];
    const name = Array.isArray(ref) ? ref[0] : ref;
    const field = typeof name === 'string' ? fields.find((f) => f.name === name || f.id === name) : undefined;
    return field ? { var: field.id } : logic;
  }
  return Object.fromEntries(entries.map(([op, args]) => [op, withFieldIds(fields, args)]));
}

/** The builder's tree for a stored condition, or undefined when the builder cannot show it as it is (edited as JSON). */
export function builderGroup(fields: readonly Field[], condition: unknown): Group | undefined {
  const logic = withFieldIds(fields, condition);
  const group = fromJsonLogic(logic);
  return JSON.stringify(toJsonLogic(group)) === JSON.stringify(logic) ? group : undefined;
}

/**
 * A condition in words for the rules list ("Amount > 0 and Status = Sent"), from the builder's tree; JSON when the
 * builder cannot show it.
 */
export function describeCondition(fields: readonly Field[], condition: unknown, operator: (op: string) => string, join: (j: 'and' | 'or') => string): string {
  const group = builderGroup(fields, condition);
  if (!group) return JSON.stringify(condition);
  const text = (g: Group): string =>
    g.items
      .map((item) => {
        if (item.kind === 'group') return `(${text(item)})`;
        const name = fields.find((f) => f.id === item.field)?.name ?? item.field;
        const value = item.value === undefined ? '' : ` ${Array.isArray(item.value) ? item.value.join(', ') : String(item.value)}`;
        return `${name} ${operator(item.op)}${value}`;
      })
      .join(` ${join(g.join)} `);
  return text(group);
}
