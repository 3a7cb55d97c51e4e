import { sql } from 'kysely';
import type { FieldDef, SheetDef } from '../catalog/model.js';
import { findField } from '../catalog/resolve.js';
import { badRequest } from '../errors.js';
import type { Sql } from '../field-types/field-type.js';
import { fieldColumn } from '../records/columns.js';
import { operatorsFor, type ComparisonOp } from './operators.js';

export const MAX_FILTER_DEPTH = 20;
export const MAX_FILTER_NODES = 500;

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const FLIPPED: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

const fail = (message: string) => badRequest(`filter: ${message}`, { fields: { filter: message } });

interface Walk {
  sheet: SheetDef;
  nodes: number;
}

/** Compiles a JsonLogic condition into a parameterized SQL boolean over the sheet's table (alias `t`). */
export function compileFilter(sheet: SheetDef, logic: unknown): Sql {
  return node(logic, { sheet, nodes: 0 }, 1);
}

function node(logic: unknown, walk: Walk, depth: number): Sql {
  if (depth > MAX_FILTER_DEPTH) throw fail(`conditions are nested more than ${MAX_FILTER_DEPTH} deep`);
  if (++walk.nodes > MAX_FILTER_NODES) throw fail(`more than ${MAX_FILTER_NODES} conditions`);
  if (typeof logic === 'boolean') return logic ? sql`TRUE` : sql`FALSE`;
  if (typeof logic !== 'object' || logic === null || Array.isArray(logic)) throw fail('each condition must be an object with one operator, such as {"==": [{"var": "Stage"}, "Won"]}');
  const keys = Object.keys(logic);
  if (keys.length !== 1) throw fail(`a condition must have exactly one operator, not ${keys.length}`);
  const op = keys[0]!;
  const raw = (logic as Record<string, unknown>)[op];
  const args = Array.isArray(raw) ? raw : [raw];
  switch (op) {
    case 'and':
    case 'or': {
      if (!args.length) return op === 'and' ? sql`TRUE` : sql`FALSE`;
      const parts = args.map((a) => node(a, walk, depth + 1));
      return sql`(${sql.join(parts, sql.raw(op === 'and' ? ' AND ' : ' OR '))})`;
    }
    case '!':
      return sql`NOT COALESCE(${node(args[0], walk, depth + 1)}, FALSE)`;
    case '!!':
      return condition('is_not_empty', args, walk);
    default:
      return condition(op, args, walk);
  }
}

interface Operand {
  field: FieldDef;
}

function asVar(value: unknown, sheet: SheetDef): Operand | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== 'var') return undefined;
  const ref = (value as { var: unknown }).var;
  const name = Array.isArray(ref) ? ref[0] : ref;
  if (typeof name !== 'string') throw fail('"var" must name a field');
  const field = findField(sheet, name);
  if (!field) throw fail(`unknown field "${name}"`);
  return { field };
}

function condition(op: string, args: unknown[], walk: Walk): Sql {
  const { sheet } = walk;
  if (op === 'is_empty' || op === 'is_not_empty') {
    const target = asVar(args[0], sheet);
    if (!target) throw fail(`"${op}" takes a field: {"${op}": [{"var": "Name"}]}`);
    return apply(target.field, op, null);
  }
  if (op === 'in') {
    const [left, right] = args;
    const leftVar = asVar(left, sheet);
    const rightVar = asVar(right, sheet);
    // {"in": ["abc", {"var": "Name"}]} is JsonLogic's substring test.
    if (rightVar && !leftVar) return apply(rightVar.field, 'contains', left);
    if (!leftVar || !Array.isArray(right)) throw fail('"in" takes a field and a list: {"in": [{"var": "Stage"}, ["Won", "Lost"]]}');
    return apply(leftVar.field, 'in', right);
  }
  if (op === 'contains' || op === 'starts_with') {
    const target = asVar(args[0], sheet);
    if (!target || args.length !== 2) throw fail(`"${op}" takes a field and a value: {"${op}": [{"var": "Name"}, "abc"]}`);
    return apply(target.field, op, args[1]);
  }
  if (COMPARISONS.has(op)) {
    // {"<": [1, {"var": "x"}, 10]} is JsonLogic's "between".
    if (args.length === 3 && (op === '<' || op === '<=')) {
      const middle = asVar(args[1], sheet);
      if (!middle) throw fail(`a three-part "${op}" needs a field in the middle`);
      return sql`(${apply(middle.field, FLIPPED[op] as ComparisonOp, args[0])} AND ${apply(middle.field, op, args[2])})`;
    }
    if (args.length !== 2) throw fail(`"${op}" compares a field with a value`);
    const leftVar = asVar(args[0], sheet);
    const rightVar = asVar(args[1], sheet);
    if (leftVar && !rightVar) return apply(leftVar.field, op as ComparisonOp, args[1]);
    if (rightVar && !leftVar) return apply(rightVar.field, FLIPPED[op] as ComparisonOp, args[0]);
    throw fail(`"${op}" compares one field with one value`);
  }
  throw fail(`unknown operator "${op}"`);
}

function apply(field: FieldDef, op: string, value: unknown): Sql {
  if (field.impl.valueless) throw fail(`"${op}" cannot be used on the ${field.type} field "${field.name}": it has no value to filter on`);
  const computed = field.impl.computed;
  if (computed?.error) throw fail(`"${field.name}" cannot be computed (${computed.error}), so it cannot be filtered on`);
  const list = computed?.list;
  const leaf = list?.leaf ?? field;
  const ops = operatorsFor(leaf.impl.valueKind);
  const compile = ops[op as keyof typeof ops];
  if (!compile && !(list && (op === 'is_empty' || op === 'is_not_empty'))) throw fail(`"${op}" cannot be used on the ${field.type} field "${field.name}"`);
  try {
    if (!list) return sql`(${compile!(fieldColumn(field), value, field)})`;
    return listCondition(list.elements('t'), leaf, op, value, ops);
  } catch (error) {
    if (error instanceof OperandError) throw fail(`${field.name}: ${error.message}`);
    throw error;
  }
}

const isBlank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * A link or lookup matches when any of its elements does ("Product contains Pro" means some linked product);
 * "is not" and "is empty" mean none does.
 */
function listCondition(elements: Sql, leaf: FieldDef, op: string, value: unknown, ops: ReturnType<typeof operatorsFor>): Sql {
  const element = sql.ref('le.v');
  const any = (condition: Sql) => sql`EXISTS (SELECT 1 FROM (${elements}) AS le WHERE ${condition})`;
  if (op === 'is_empty' || (op === '==' && isBlank(value))) return sql`NOT ${any(sql`TRUE`)}`;
  if (op === 'is_not_empty' || (op === '!=' && isBlank(value))) return any(sql`TRUE`);
  if (op === '!=') return sql`NOT ${any(ops['==']!(element, value, leaf))}`;
  return any(ops[op as keyof typeof ops]!(element, value, leaf));
}

/** A filter value of the wrong kind for its field. */
export class OperandError extends Error {}
