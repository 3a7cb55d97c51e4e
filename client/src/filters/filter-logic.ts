import type { Field } from '../api/types.js';

/** One row of the filter builder: a field, an operator and (for most operators) a value. */
export interface Condition {
  kind: 'condition';
  field: string;
  op: string;
  value?: unknown;
}

/** Conditions joined by "and" or "or"; groups nest. */
export interface Group {
  kind: 'group';
  join: 'and' | 'or';
  items: (Condition | Group)[];
}

export const emptyGroup = (): Group => ({ kind: 'group', join: 'and', items: [] });

/** Operators that take no value. */
export const UNARY = new Set(['is_empty', 'is_not_empty']);

/** The builder's order of operators: the most used first (a new condition starts with the first that fits). */
const ORDER = ['contains', '==', '!=', '<', '<=', '>', '>=', 'starts_with', 'in', 'is_empty', 'is_not_empty'];
const rank = (op: string) => (ORDER.includes(op) ? ORDER.indexOf(op) : ORDER.length);

/**
 * The operators that fit a field: those the server's filter compiler accepts for it (the API's `filterOperators`),
 * less "in" where the builder has no list to pick from (it offers one for choices).
 */
export function operatorsFor(field: Field): string[] {
  const lists = field.valueKind === 'choice' || field.valueKind === 'choices';
  return field.filterOperators.filter((op) => op !== 'in' || lists).sort((a, b) => rank(a) - rank(b));
}

const incomplete = (c: Condition) => !UNARY.has(c.op) && (c.value === undefined || c.value === '' || (Array.isArray(c.value) && c.value.length === 0));

/** The builder's tree as the JsonLogic the records API takes; unfinished rows are left out. Undefined if empty. */
export function toJsonLogic(group: Group): unknown {
  const parts = group.items.flatMap((item): unknown[] => {
    if (item.kind === 'group') {
      const inner = toJsonLogic(item);
      return inner === undefined ? [] : [inner];
    }
    if (incomplete(item)) return [];
    const ref = { var: item.field };
    return [UNARY.has(item.op) ? { [item.op]: [ref] } : { [item.op]: [ref, item.value] }];
  });
  if (!parts.length) return undefined;
  return parts.length === 1 && group.join === 'and' ? parts[0] : { [group.join]: parts };
}

/** A saved filter back into the builder (what the builder itself produces; anything else becomes one group). */
export function fromJsonLogic(logic: unknown): Group {
  if (logic === undefined || logic === null) return emptyGroup();
  const node = asNode(logic);
  if (!node) return emptyGroup();
  if (node.op === 'and' || node.op === 'or') {
    return { kind: 'group', join: node.op, items: node.args.flatMap((a) => { const g = fromJsonLogic(a); return g.items.length === 1 && g.join === 'and' ? g.items : g.items.length ? [g] : []; }) };
  }
  const [ref, value] = node.args as [{ var?: unknown } | undefined, unknown];
  if (!ref || typeof ref !== 'object' || typeof ref.var !== 'string') return emptyGroup();
  const condition: Condition = { kind: 'condition', field: ref.var, op: node.op, ...(UNARY.has(node.op) ? {} : { value }) };
  return { kind: 'group', join: 'and', items: [condition] };
}

function asNode(logic: unknown): { op: string; args: unknown[] } | undefined {
  if (typeof logic !== 'object' || logic === null || Array.isArray(logic)) return undefined;
  const [op, raw] = Object.entries(logic)[0] ?? [];
  if (!op) return undefined;
  return { op, args: Array.isArray(raw) ? raw : [raw] };
}
