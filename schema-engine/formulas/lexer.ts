/** Formula tokens with their position (0-based character offset) for error messages. */
export type Token =
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'field'; name: string; pos: number }
  | { kind: 'name'; value: string; pos: number }
  | { kind: 'op'; value: string; pos: number }
  | { kind: 'end'; pos: number };

/** A formula that cannot be read or computed: `message` in English, `zh` in Traditional Chinese when it was worded. */
export class FormulaError extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly zh?: string,
  ) {
    super(message);
  }

  /** The message in a language; one not worded in Chinese yet says so and gives the English. */
  in(language: 'en' | 'zh-TW'): string {
    if (language === 'en') return this.message;
    return this.zh ?? `公式無效：${this.message}`;
  }
}

// Sticky: matched where the lexer stands, without copying the rest of the source for each token.
const NUMBER = /(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

const OPERATORS = ['<=', '>=', '!=', '<>', '==', '+', '-', '*', '/', '&', '=', '<', '>', '(', ')', ','];

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '{') {
      // {Field name}; a } inside a name is written \}
      let name = '';
      let j = i + 1;
      for (; j < source.length && source[j] !== '}'; j++) {
        if (source[j] === '\\' && j + 1 < source.length) j++;
        name += source[j];
      }
      if (j >= source.length) throw new FormulaError('a field reference is not closed with }', i, '欄位參照缺少結尾的 }');
      if (!name.trim()) throw new FormulaError('an empty field reference {}', i, '欄位參照 {} 是空的');
      tokens.push({ kind: 'field', name, pos: i });
      i = j + 1;
    } else if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) {
        if (source[j] === '\\' && j + 1 < source.length) j++;
        value += source[j];
      }
      if (j >= source.length) throw new FormulaError('a text value is not closed with its quote', i, '文字缺少結尾的引號');
      tokens.push({ kind: 'string', value, pos: i });
      i = j + 1;
    } else if (/[0-9.]/.test(c)) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(source);
      if (!match) throw new FormulaError(`unexpected "${c}"`, i, `無法辨識「${c}」`);
      const value = Number(match[0]);
      if (!Number.isFinite(value)) throw new FormulaError(`the number ${match[0]} is too large`, i, `數字 ${match[0]} 太大`);
      tokens.push({ kind: 'number', value, pos: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      NAME.lastIndex = i;
      const match = NAME.exec(source)!;
      tokens.push({ kind: 'name', value: match[0].toUpperCase(), pos: i });
      i += match[0].length;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) throw new FormulaError(`unexpected "${c}"`, i, `無法辨識「${c}」`);
      tokens.push({ kind: 'op', value: op, pos: i });
      i += op.length;
    }
  }
  tokens.push({ kind: 'end', pos: source.length });
  return tokens;
}
