/** Formula functions: their JsonLogic operator and how many arguments they take. */
export interface FormulaFunction {
  op: string;
  min: number;
  max: number;
}

export const FUNCTIONS: Record<string, FormulaFunction> = {
  IF: { op: 'if', min: 2, max: 3 },
  AND: { op: 'and', min: 1, max: 50 },
  OR: { op: 'or', min: 1, max: 50 },
  NOT: { op: '!', min: 1, max: 1 },
  ROUND: { op: 'round', min: 1, max: 2 },
  ABS: { op: 'abs', min: 1, max: 1 },
  MIN: { op: 'min', min: 1, max: 50 },
  MAX: { op: 'max', min: 1, max: 50 },
  CONCAT: { op: 'cat', min: 1, max: 50 },
  UPPER: { op: 'upper', min: 1, max: 1 },
  LOWER: { op: 'lower', min: 1, max: 1 },
  LEN: { op: 'len', min: 1, max: 1 },
  TODAY: { op: 'today', min: 0, max: 0 },
  NOW: { op: 'now', min: 0, max: 0 },
  DATEADD: { op: 'dateadd', min: 3, max: 3 },
  DATEDIF: { op: 'datedif', min: 3, max: 3 },
  YEAR: { op: 'year', min: 1, max: 1 },
  MONTH: { op: 'month', min: 1, max: 1 },
  BLANK: { op: 'blank', min: 0, max: 0 },
};

export const FUNCTION_BY_OP = new Map(Object.entries(FUNCTIONS).map(([name, f]) => [f.op, name]));
