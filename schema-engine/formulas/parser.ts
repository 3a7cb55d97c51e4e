import { FUNCTIONS } from './functions.js';
import { FormulaError, tokenize, type Token } from './lexer.js';

/** JsonLogic as produced by the parser: field references are `{"var": "<field name as written>"}`. */
export type Logic = null | boolean | number | string | { [op: string]: Logic[] | Logic };

const COMPARISON: Record<string, string> = { '=': '==', '==': '==', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** Parentheses, function calls and signs inside one another: the parser recurses once per level. */
export const MAX_FORMULA_NESTING = 100;
/** Operations inside one another, chains included (`1 + 2 + … + 300` is 299 deep): what every walker of the logic recurses. */
export const MAX_FORMULA_DEPTH = 300;

/**
 * Parses the spreadsheet-like formula syntax into JsonLogic, so formulas share the one rule language.
 * Precedence, lowest first: comparison, & (text), + -, * /, unary minus.
 */
export function parseFormula(source: string): Logic {
  const tokens = tokenize(source);
  let at = 0;
  let nesting = 0;
  const enter = (pos: number) => {
    if (++nesting > MAX_FORMULA_NESTING) throw new FormulaError(`the formula is nested more than ${MAX_FORMULA_NESTING} deep (parentheses, functions and signs)`, pos);
  };
  const peek = () => tokens[at]!;
  const next = () => tokens[at++]!;
  const isOp = (t: Token, ...values: string[]) => t.kind === 'op' && values.includes(t.value);

  function expect(value: string): void {
    const t = next();
    if (!isOp(t, value)) throw new FormulaError(`expected "${value}"${describe(t)}`, t.pos, `這裡應該是「${value}」`);
  }

  function comparison(): Logic {
    let left = concatenation();
    while (peek().kind === 'op' && (peek() as { value: string }).value in COMPARISON) {
      const op = COMPARISON[(next() as { value: string }).value]!;
      left = { [op]: [left, concatenation()] };
    }
    return left;
  }

  function concatenation(): Logic {
    const parts = [additive()];
    while (isOp(peek(), '&')) {
      next();
      parts.push(additive());
    }
    return parts.length === 1 ? parts[0]! : { cat: parts };
  }

  function additive(): Logic {
    let left = multiplicative();
    while (isOp(peek(), '+', '-')) {
      const op = (next() as { value: string }).value;
      left = { [op]: [left, multiplicative()] };
    }
    return left;
  }

  function multiplicative(): Logic {
    let left = unary();
    while (isOp(peek(), '*', '/')) {
      const op = (next() as { value: string }).value;
      left = { [op]: [left, unary()] };
    }
    return left;
  }

  function unary(): Logic {
    if (isOp(peek(), '-') || isOp(peek(), '+')) {
      const sign = next();
      enter(sign.pos);
      const operand = unary();
      nesting--;
      if ((sign as { value: string }).value === '+') return operand;
      return typeof operand === 'number' ? -operand : { '-': [operand] };
    }
    return primary();
  }

  function primary(): Logic {
    const t = next();
    switch (t.kind) {
      case 'number':
        return t.value;
      case 'string':
        return t.value;
      case 'field':
        return { var: t.name };
      case 'name':
        if (t.value === 'TRUE' || t.value === 'FALSE') return t.value === 'TRUE';
        return call(t.value, t.pos);
      case 'op':
        if (t.value === '(') {
          enter(t.pos);
          const inner = comparison();
          expect(')');
          nesting--;
          return inner;
        }
        throw new FormulaError(`unexpected "${t.value}"`, t.pos, `不應出現「${t.value}」`);
      case 'end':
        throw new FormulaError('the formula ends too early', t.pos, '公式提早結束了');
    }
  }

  function call(name: string, pos: number): Logic {
    const fn = FUNCTIONS[name];
    if (!fn) throw new FormulaError(`unknown function ${name} (use one of ${Object.keys(FUNCTIONS).join(', ')})`, pos, `沒有函式 ${name}（可用：${Object.keys(FUNCTIONS).join('、')}）`);
    enter(pos);
    expect('(');
    const args: Logic[] = [];
    if (!isOp(peek(), ')')) {
      args.push(comparison());
      while (isOp(peek(), ',')) {
        next();
        args.push(comparison());
      }
    }
    expect(')');
    nesting--;
    if (args.length < fn.min || args.length > fn.max) {
      const range = fn.min === fn.max ? `${fn.min}` : `${fn.min} to ${fn.max}`;
      const rangeZh = fn.min === fn.max ? `${fn.min}` : `${fn.min} 到 ${fn.max}`;
      throw new FormulaError(`${name} takes ${range} argument${fn.max === 1 ? '' : 's'}, not ${args.length}`, pos, `${name} 需要 ${rangeZh} 個引數，而不是 ${args.length} 個`);
    }
    return { [fn.op]: args };
  }

  const result = comparison();
  const rest = peek();
  if (rest.kind !== 'end') throw new FormulaError(`unexpected${describe(rest)}`, rest.pos, '公式在這裡應該已經結束');
  if (logicDepth(result) > MAX_FORMULA_DEPTH) throw new FormulaError(`the formula has more than ${MAX_FORMULA_DEPTH} operations inside one another`, 0);
  return result;
}

/** How deep operations sit inside one another, counted without recursion (any JSON value). */
export function logicDepth(logic: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[logic, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push([item, depth]);
      continue;
    }
    deepest = Math.max(deepest, depth + 1);
    for (const value of Object.values(node)) stack.push([value, depth + 1]);
  }
  return deepest;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end':
      return ' but the formula ends';
    case 'op':
      return ` but found "${t.value}"`;
    case 'name':
      return ` but found ${t.value}`;
    case 'field':
      return ` but found {${t.name}}`;
    default:
      return ` but found ${JSON.stringify(t.value)}`;
  }
}
