import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Finds text a person would see in the client that is written in the source instead of taken from the i18n
 * catalogue: JSX text, string literals in user-visible attributes and props, and the messages of
 * confirm/alert/prompt, toast(…) and setError(…). Only literals that reach the screen as they are count: a
 * literal passed to a call (`t('key')`, `format(x, 'en')`) is an argument, not text.
 */

/** Attributes and props of ours whose value is shown (or read out) to people. */
const VISIBLE_PROPS = new Set([
  'placeholder',
  'title',
  'alt',
  'label',
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
  'message',
  'confirmLabel',
  'cancelLabel',
  'heading',
  'hint',
  'emptyText',
  'description',
]);

/** Calls whose first argument is shown as it is. */
const VISIBLE_CALLS = new Set(['confirm', 'alert', 'prompt', 'toast', 'setError', 'setMessage']);

/** Text that is no language: symbols, separators, units and the language names of the language menu. */
export const ALLOWED = new Set(['·', '×', '✓', '✕', '…', '—', '–', '→', '←', '↑', '↓', '▾', '▸', '⋮', '%', 'px', 'Σ', 'English', '繁體中文']);

/** A web address (an example or a scheme to start from) reads the same in every language. */
const URL_LIKE = /^https?:\/\/\S*$/;

/** Words separated by spaces in an object's value (`{contains: 'is any of'}`): a phrase, not a key or a class name. */
const PHRASE = /^[A-Za-z]+(?: [a-z]+)+$/;

export interface Hit {
  file: string;
  line: number;
  text: string;
}

/** Whether a piece of text has letters (of any script) and is not allowed as it is. */
const isLanguage = (text: string) => {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return trimmed !== '' && /\p{L}/u.test(trimmed) && !ALLOWED.has(trimmed) && !URL_LIKE.test(trimmed);
};

/** The literal text pieces an expression shows as it is (through conditionals, `??`, `||`, `&&`, templates). */
function shownLiterals(expression: ts.Expression): ts.Node[] {
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return [expression];
  if (ts.isTemplateExpression(expression)) return [expression.head, ...expression.templateSpans.map((s) => s.literal)];
  if (ts.isParenthesizedExpression(expression)) return shownLiterals(expression.expression);
  if (ts.isConditionalExpression(expression)) return [...shownLiterals(expression.whenTrue), ...shownLiterals(expression.whenFalse)];
  if (ts.isBinaryExpression(expression)) {
    const op = expression.operatorToken.kind;
    if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) return [...shownLiterals(expression.left), ...shownLiterals(expression.right)];
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return shownLiterals(expression.right);
    if (op === ts.SyntaxKind.PlusToken) return [...shownLiterals(expression.left), ...shownLiterals(expression.right)];
  }
  return [];
}

const literalText = (node: ts.Node) => (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node) ? node.text : '');

const calleeName = (call: ts.CallExpression) => {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return '';
};

/** The hard-coded user-visible strings of one source file. */
export function scanSource(file: string, source: string): Hit[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const hits: Hit[] = [];
  const hit = (node: ts.Node, text: string) => {
    if (isLanguage(text)) hits.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: text.replace(/\s+/g, ' ').trim() });
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) hit(node, node.text);
    else if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      for (const literal of shownLiterals(node.expression)) hit(literal, literalText(literal));
    } else if (ts.isJsxAttribute(node) && VISIBLE_PROPS.has(node.name.getText(sf)) && node.initializer) {
      const init = node.initializer;
      if (ts.isStringLiteral(init)) hit(init, init.text);
      else if (ts.isJsxExpression(init) && init.expression) for (const literal of shownLiterals(init.expression)) hit(literal, literalText(literal));
    } else if (ts.isPropertyAssignment(node) && !ts.isComputedPropertyName(node.name)) {
      // An object's value: shown when the key is a visible prop, or when it reads as a phrase (a table of labels).
      const name = node.name.getText(sf).replace(/^['"]|['"]$/g, '');
      const literals = shownLiterals(node.initializer);
      if (VISIBLE_PROPS.has(name)) for (const literal of literals) hit(literal, literalText(literal));
      else if (name !== 'className') for (const literal of literals) if (PHRASE.test(literalText(literal))) hit(literal, literalText(literal));
    } else if (ts.isCallExpression(node) && VISIBLE_CALLS.has(calleeName(node)) && node.arguments[0]) {
      for (const literal of shownLiterals(node.arguments[0])) hit(literal, literalText(literal));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return hits;
}

/** Every source file of the client but tests, declarations and the catalogues themselves. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'i18n' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.(test|d)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The hard-coded user-visible strings of the whole client. */
export function scanClient(root: string): Hit[] {
  return sourceFiles(join(root, 'client/src')).flatMap((path) => scanSource(relative(root, path), readFileSync(path, 'utf8')));
}
