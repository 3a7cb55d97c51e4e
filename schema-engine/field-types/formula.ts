import { sql } from 'kysely';
import { z } from 'zod';
import type { FieldDef, SheetDef } from '../catalog/model.js';
import { findField } from '../catalog/resolve.js';
import { fieldOperand, resultTypeOf } from '../computed/operands.js';
import { brokenResolved, scalarResolved } from '../computed/resolved.js';
import { compileFormula, formulaReferences } from '../formulas/compile.js';
import { FormulaError } from '../formulas/lexer.js';
import { parseFormula, type Logic } from '../formulas/parser.js';
import { renderFormula } from '../formulas/render.js';
import { defineFieldType, FieldValueError, zodOptions, type FieldType, type KnownValues } from './field-type.js';
import { computedDefaults } from './shared/computed.js';

const input = z.object({ expression: z.string().trim().min(1, 'a formula needs an expression').max(10_000), logic: z.unknown().optional() }).strict();
const parseInput = zodOptions(input);

/** Stored: the expression as last written (names) and its JsonLogic with field ids, so renames keep it working. */
export interface FormulaOptions {
  expression: string;
  logic?: Logic;
}

const where = (pos: number) => (pos >= 0 ? ` (at character ${pos + 1})` : '');
const whereZh = (pos: number) => (pos >= 0 ? `（第 ${pos + 1} 個字元）` : '');

/** Why a formula field (`fieldId`) cannot refer to `{name}` on its sheet, in both languages; undefined when it can. */
export function referenceProblem(sheet: SheetDef, name: string, fieldId: string | undefined): { en: string; zh: string } | undefined {
  const field = findField(sheet, name);
  if (!field) return { en: `there is no field {${name}} in "${sheet.name}"`, zh: `「${sheet.name}」沒有欄位 {${name}}` };
  if (field.impl.valueless) return { en: `{${name}} is a ${field.type} field and has no value a formula can read`, zh: `{${name}} 是${field.type}欄位，沒有公式可讀取的值` };
  if (field.id === fieldId) return { en: `a formula cannot refer to itself ({${name}})`, zh: `公式不能引用自己（{${name}}）` };
  return undefined;
}

/** Replaces each {"var": name} with the field's id. */
function bindVars(logic: Logic, idOf: (name: string) => string): Logic {
  if (logic === null || typeof logic !== 'object') return logic;
  const [op, raw] = Object.entries(logic)[0]!;
  if (op === 'var') return { var: idOf(String(Array.isArray(raw) ? raw[0] : raw)) };
  return { [op]: Array.isArray(raw) ? raw.map((a) => bindVars(a, idOf)) : bindVars(raw as Logic, idOf) };
}

/** Field ids a bound formula reads. */
export function formulaVars(logic: Logic): string[] {
  if (logic === null || typeof logic !== 'object') return [];
  const [op, raw] = Object.entries(logic)[0]!;
  if (op === 'var') return [String(raw)];
  return (Array.isArray(raw) ? raw : [raw as Logic]).flatMap(formulaVars);
}

export const formula: FieldType<FormulaOptions> = defineFieldType<FormulaOptions>({
  id: 'formula',
  valueKind: 'text',
  parseOptions: (raw, previous) => {
    const parsed = parseInput(raw);
    // Unchanged text keeps its bound references (the stored text may name fields by their former names).
    if (previous?.logic !== undefined && parsed.expression === previous.expression) return previous;
    return { expression: parsed.expression };
  },
  bindOptions: (options, { sheet, fieldId }) => {
    if (options.logic !== undefined) return options;
    let logic: Logic;
    try {
      logic = parseFormula(options.expression);
    } catch (error) {
      if (error instanceof FormulaError) throw new FieldValueError(`options.expression: ${error.message}${where(error.position)}`, `options.expression：${error.in('zh-TW')}${whereZh(error.position)}`);
      throw error;
    }
    for (const ref of formulaReferences(options.expression)) {
      const problem = referenceProblem(sheet, ref.name, fieldId);
      if (problem) throw new FieldValueError(`options.expression: ${problem.en}${where(ref.pos)}`, `options.expression：${problem.zh}${whereZh(ref.pos)}`);
    }
    return { expression: options.expression, logic: bindVars(logic, (name) => findField(sheet, name)!.id) };
  },
  ...computedDefaults,
  resolve(field, resolver): FieldType<FormulaOptions> {
    const options = field.options as FormulaOptions;
    if (options.logic === undefined) return brokenResolved(formula, 'the formula has not been bound to its fields');
    const vars = [...new Set(formulaVars(options.logic))];
    const operands = new Map<string, FieldDef>();
    const names = new Map<string, string>();
    for (const id of vars) {
      const found = resolver.field(field.sheetId, id);
      const position = (name: string) => where(formulaReferences(options.expression).find((r) => r.name === name)?.pos ?? -1);
      if ('error' in found) return brokenResolved(formula, found.name ? `{${found.name}} ${found.error}${position(found.name)}` : `a field it refers to ${found.error}`, vars);
      names.set(id, found.name);
      if (found.impl.computed?.error) return brokenResolved(formula, `{${found.name}} cannot be computed: ${found.impl.computed.error}${position(found.name)}`, vars);
      operands.set(id, found);
    }
    const expression = renderFormula(options.logic, (id) => names.get(id) ?? id);
    // Read when the query runs (once: an uncorrelated subquery), so a new time zone in the settings applies at once.
    const ctx = { timeZone: sql`(SELECT time_zone FROM public.workspaces WHERE id = ${resolver.ws.id})` };
    try {
      // Compiled once here for its type (and to refuse a type error); the SQL is built per row alias.
      const typeAt = compileFormula(options.logic, (id) => fieldOperand(operands.get(id)!, 't'), ctx).type;
      const select = (alias: string, known?: KnownValues) => compileFormula(options.logic!, (id) => fieldOperand(operands.get(id)!, alias, known), ctx).sql;
      return scalarResolved(formula, resultTypeOf(typeAt), select, vars, { expression });
    } catch (error) {
      if (error instanceof FormulaError) return brokenResolved(formula, error.message, vars, formula.valueKind, error.in('zh-TW'));
      throw error;
    }
  },
});
