import { CATALOGUE } from './catalogue.js';

/** Formula functions: their JsonLogic operator and how many arguments they take (from the catalogue). */
export interface FormulaFunction {
  op: string;
  min: number;
  max: number;
}

export const FUNCTIONS: Record<string, FormulaFunction> = Object.fromEntries(CATALOGUE.map((f) => [f.name, { op: f.op, min: f.min, max: f.max }]));

export const FUNCTION_BY_OP = new Map(CATALOGUE.map((f) => [f.op, f.name]));
