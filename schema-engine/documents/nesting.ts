/**
 * How deep a template's blocks (`{{#if}}…{{/if}}`) and subexpressions (`(eq (add a b) c)`) nest, counted on the text
 * before Handlebars parses it: its parser, compiler and our checks recurse once per level, so a template nested
 * thousands deep would overflow the stack instead of answering what is wrong.
 */
export const MAX_TEMPLATE_NESTING = 50;

export interface NestingProblem {
  line: number;
  column: number;
  message: string;
}

function position(source: string, index: number): { line: number; column: number } {
  const before = source.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

export function nestingProblem(source: string): NestingProblem | undefined {
  let blocks = 0;
  let i = 0;
  while ((i = source.indexOf('{{', i)) >= 0) {
    // Comments hold anything; a raw block's body is text.
    if (source.startsWith('{{!--', i) || source.startsWith('{{~!--', i)) {
      const end = source.indexOf('--', source.indexOf('!--', i) + 3);
      i = end < 0 ? source.length : end + 2;
      continue;
    }
    let j = i + 2;
    while (source[j] === '{' || source[j] === '~' || source[j] === ' ') j++;
    const sigil = source[j];
    if (sigil === '!') {
      const end = source.indexOf('}}', j);
      i = end < 0 ? source.length : end + 2;
      continue;
    }
    if (sigil === '#' || (sigil === '^' && /^\^\s*[\w.@[]/.test(source.slice(j, j + 3)))) blocks++;
    else if (sigil === '/') blocks--;
    if (blocks > MAX_TEMPLATE_NESTING) return { ...position(source, i), message: `blocks are nested more than ${MAX_TEMPLATE_NESTING} deep` };
    // Subexpressions inside this mustache, outside string literals.
    let parens = 0;
    let quote: string | undefined;
    for (; j < source.length && !(quote === undefined && source.startsWith('}}', j)); j++) {
      const c = source[j]!;
      if (quote !== undefined) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '(') {
        if (++parens > MAX_TEMPLATE_NESTING) return { ...position(source, j), message: `subexpressions are nested more than ${MAX_TEMPLATE_NESTING} deep` };
      } else if (c === ')') parens--;
    }
    i = j;
  }
  return undefined;
}
