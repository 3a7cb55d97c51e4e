import { FUNCTION_BY_OP } from './functions.js';
import type { Logic } from './parser.js';

const INFIX: Record<string, { text: string; level: number }> = {
  '==': { text: '=', level: 1 },
  '!=': { text: '!=', level: 1 },
  '<': { text: '<', level: 1 },
  '<=': { text: '<=', level: 1 },
  '>': { text: '>', level: 1 },
  '>=': { text: '>=', level: 1 },
  '+': { text: '+', level: 3 },
  '-': { text: '-', level: 3 },
  '*': { text: '*', level: 4 },
  '/': { text: '/', level: 4 },
};

const quoteField = (name: string) => `{${name.replace(/[\\}]/g, (c) => `\\${c}`)}}`;
const quoteText = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * JsonLogic back to formula text, with each reference named by `nameOf` (field id → current name): a formula
 * stores ids, so renaming a field it uses keeps it working and it reads with the new name.
 */
export function renderFormula(logic: Logic, nameOf: (ref: string) => string): string {
  return render(logic, 0);

  function render(node: Logic, parentLevel: number): string {
    if (node === null) return 'BLANK()';
    if (typeof node === 'boolean') return node ? 'TRUE' : 'FALSE';
    if (typeof node === 'number') return String(node);
    if (typeof node === 'string') return quoteText(node);
    const [op, raw] = Object.entries(node)[0]!;
    const args = Array.isArray(raw) ? raw : [raw];
    if (op === 'var') return quoteField(nameOf(String(args[0])));
    if (op === '-' && args.length === 1) return `-${render(args[0]!, 5)}`;
    if (op === 'cat' && args.length > 1) return wrap(args.map((a) => render(a, 3)).join(' & '), 2, parentLevel);
    const infix = INFIX[op];
    if (infix && args.length === 2) {
      // Left-associative: a right operand of the same level needs parentheses.
      const text = `${render(args[0]!, infix.level)} ${infix.text} ${render(args[1]!, infix.level + 1)}`;
      return wrap(text, infix.level, parentLevel);
    }
    const name = FUNCTION_BY_OP.get(op) ?? op.toUpperCase();
    return `${name}(${args.map((a) => render(a, 0)).join(', ')})`;
  }
}

function wrap(text: string, level: number, parentLevel: number): string {
  return level < parentLevel ? `(${text})` : text;
}
