/** Rewriting what a template names by key (pure: the browser's gallery previews with it too). */

/** Rewrites a JsonLogic condition: every `{"var": key}` through `field`, every `{"choice": key}` through `choice`. */
export function mapCondition(logic: unknown, field: (key: string) => string, choice: (key: string) => string): unknown {
  if (Array.isArray(logic)) return logic.map((l) => mapCondition(l, field, choice));
  if (logic === null || typeof logic !== 'object') return logic;
  const entries = Object.entries(logic);
  if (entries.length === 1) {
    const [op, raw] = entries[0]!;
    if (op === 'var') return { var: field(String(Array.isArray(raw) ? raw[0] : raw)) };
    if (op === 'choice') return choice(String(raw));
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, mapCondition(v, field, choice)]));
}

/** Rewrites a template formula: `{key}` through `field` (answers a name), `{#choice}` through `choice` (answers text). */
export function mapFormula(expression: string, field: (key: string) => string, choice: (key: string) => string): string {
  let out = '';
  for (let i = 0; i < expression.length; ) {
    const c = expression[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < expression.length && expression[j] !== c) j += expression[j] === '\\' ? 2 : 1;
      out += expression.slice(i, j + 1);
      i = j + 1;
    } else if (c === '{') {
      const end = expression.indexOf('}', i);
      if (end < 0) return out + expression.slice(i);
      const ref = expression.slice(i + 1, end);
      out += ref.startsWith('#') ? `"${choice(ref.slice(1)).replace(/[\\"]/g, (x) => `\\${x}`)}"` : `{${field(ref).replace(/[\\}]/g, (x) => `\\${x}`)}}`;
      i = end + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
