import { CATALOGUE, CATALOGUE_BY_NAME, type CatalogueEntry } from '../../../schema-engine/formulas/catalogue.js';

/** What the text before the cursor is in the middle of, read as the formula lexer reads it. */
export interface CursorContext {
  /** Typing a field name: the text after an unclosed `{`, and where that `{` is. */
  field?: { prefix: string; from: number };
  /** Typing a name (a function's): the letters before the cursor, and where they start. */
  word?: { prefix: string; from: number };
  /** The innermost function call the cursor is inside, or the function name it is on. */
  call?: string;
}

const NAME = /[A-Za-z_0-9]/;

/** Scans `text` up to `cursor`, skipping text literals and field references, keeping the calls that are open. */
export function contextAt(text: string, cursor: number): CursorContext {
  const calls: string[] = [];
  let word = '';
  let wordFrom = 0;
  for (let i = 0; i < cursor; i++) {
    const c = text[i]!;
    if (c === '{') {
      let j = i + 1;
      for (; j < cursor && text[j] !== '}'; j++) if (text[j] === '\\') j++;
      if (j >= cursor) return { field: { prefix: text.slice(i + 1, cursor).replace(/\\(.)/g, '$1'), from: i }, call: calls.at(-1) };
      i = j;
      word = '';
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      for (; j < cursor && text[j] !== c; j++) if (text[j] === '\\') j++;
      if (j >= cursor) return { call: calls.at(-1) };
      i = j;
      word = '';
      continue;
    }
    if (NAME.test(c)) {
      if (!word) wordFrom = i;
      word += c;
      continue;
    }
    if (c === '(') calls.push(word.toUpperCase());
    else if (c === ')') calls.pop();
    word = '';
  }
  const isName = /^[A-Za-z_]/.test(word);
  // The name the cursor is on (letters after it too), else the call around it.
  const rest = /^[A-Za-z_0-9]*/.exec(text.slice(cursor))![0];
  const onName = isName ? (word + rest).toUpperCase() : '';
  const call = CATALOGUE_BY_NAME.has(onName) ? onName : [...calls].reverse().find((name) => CATALOGUE_BY_NAME.has(name));
  return { ...(isName ? { word: { prefix: word, from: wordFrom } } : {}), ...(call ? { call } : {}) };
}

export interface Suggestion {
  key: string;
  label: string;
  /** Shown beside the label: a function's signature, or nothing for a field. */
  detail?: string;
  /** Replaces text from `from` to the cursor; the cursor goes after it. */
  insert: string;
  from: number;
}

export const MAX_SUGGESTIONS = 12;

/** Matches first by how the name starts, then by containing the typed text (case-insensitive). */
function ranked<T>(items: readonly T[], nameOf: (item: T) => string, typed: string): T[] {
  const q = typed.toLowerCase();
  const starts = items.filter((item) => nameOf(item).toLowerCase().startsWith(q));
  const contains = items.filter((item) => !nameOf(item).toLowerCase().startsWith(q) && nameOf(item).toLowerCase().includes(q));
  return [...starts, ...contains].slice(0, MAX_SUGGESTIONS);
}

const quoteField = (name: string) => `{${name.replace(/[\\}]/g, (c) => `\\${c}`)}}`;

/** Completions at the cursor: fields after `{`, functions while typing a name. */
export function suggestionsAt(text: string, cursor: number, fieldNames: readonly string[]): Suggestion[] {
  const ctx = contextAt(text, cursor);
  if (ctx.field) {
    const { prefix, from } = ctx.field;
    return ranked(fieldNames, (n) => n, prefix).map((name) => ({ key: `field:${name}`, label: name, insert: quoteField(name), from }));
  }
  if (ctx.word) {
    const { prefix, from } = ctx.word;
    return CATALOGUE.filter((f) => f.name.startsWith(prefix.toUpperCase()))
      .slice(0, MAX_SUGGESTIONS)
      .map((f: CatalogueEntry) => ({ key: `fn:${f.name}`, label: f.name, detail: f.signature, insert: `${f.name}(`, from }));
  }
  return [];
}

/** `text` with a suggestion applied at the cursor, and where the cursor goes. */
export function applySuggestion(text: string, cursor: number, suggestion: Suggestion): { text: string; cursor: number } {
  // A field's closing } typed already (or auto-closed) is not doubled.
  const after = suggestion.insert.endsWith('}') && text[cursor] === '}' ? cursor + 1 : cursor;
  const next = text.slice(0, suggestion.from) + suggestion.insert + text.slice(after);
  return { text: next, cursor: suggestion.from + suggestion.insert.length };
}
