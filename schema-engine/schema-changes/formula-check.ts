import { sql } from 'kysely';
import { z } from 'zod';
import { requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { findField, sheetOrThrow } from '../catalog/resolve.js';
import { fieldOperand, resultTypeOf } from '../computed/operands.js';
import type { ResultType } from '../computed/resolved.js';
import type { Engine } from '../engine.js';
import { referenceProblem } from '../field-types/formula.js';
import { compileFormula, formulaReferences } from '../formulas/compile.js';
import { FormulaError } from '../formulas/lexer.js';
import { parseFormula } from '../formulas/parser.js';
import type { Language } from '../messages.js';

export const formulaCheckSchema = z.object({ expression: z.string().max(10_000), field: z.string().max(200).optional() }).strict();

export type FormulaCheck = { valid: true; result: ResultType } | { valid: false; message: string; position: number };

/**
 * Whether a formula would be accepted on a sheet, without saving it (the formula editor asks as the user types):
 * its result type, or the reason in the asker's language with the position (0-based, -1 when it has none) it is at.
 * `field`: the formula field being edited, which the formula cannot refer to.
 */
export async function checkFormula(engine: Engine, access: Access, sheetRef: string, input: z.output<typeof formulaCheckSchema>, language: Language): Promise<FormulaCheck> {
  requireDesign(access);
  const ws = await engine.catalog.get(access.workspaceId);
  const sheet = sheetOrThrow(ws, sheetRef);
  const refuse = (en: string, zh: string, position: number): FormulaCheck => ({ valid: false, message: language === 'en' ? en : zh, position });
  if (!input.expression.trim()) return refuse('a formula needs an expression', '公式不能是空的', 0);
  try {
    const logic = parseFormula(input.expression);
    for (const ref of formulaReferences(input.expression)) {
      const problem = referenceProblem(sheet, ref.name, input.field === undefined ? undefined : findField(sheet, input.field)?.id);
      if (problem) return refuse(problem.en, problem.zh, ref.pos);
      const field = findField(sheet, ref.name)!;
      const error = field.impl.computed?.error;
      if (error) return refuse(`{${ref.name}} cannot be computed: ${error}`, `{${ref.name}} 無法計算：${field.impl.computed?.errorZh ?? error}`, ref.pos);
    }
    const ctx = { timeZone: sql`'UTC'` };
    const compiled = compileFormula(logic, (name) => fieldOperand(findField(sheet, name)!, 't'), ctx);
    return { valid: true, result: resultTypeOf(compiled.type) };
  } catch (error) {
    if (error instanceof FormulaError) return refuse(error.message, error.in('zh-TW'), error.position);
    throw error;
  }
}
