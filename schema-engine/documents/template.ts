import Handlebars from 'handlebars';
import { EngineError } from '../errors.js';
import { documentHelpers, type Helper } from './helpers.js';
import { nestingProblem } from './nesting.js';

/** Templates are at most 256 KB; a render stops past 100,000 loop turns or 10 MB of HTML. */
export const MAX_TEMPLATE_LENGTH = 256 * 1024;
const MAX_ITERATIONS = 100_000;
const MAX_OUTPUT = 10 * 1024 * 1024;

export interface TemplateProblem {
  kind: 'syntax' | 'runtime';
  /** 1-based, where known. */
  line?: number;
  column?: number;
  message: string;
}

/** A 400 whose details say where the template went wrong: `{kind, line, column, message, fields: {template}}`. */
export function templateError(problem: TemplateProblem): EngineError {
  const where = problem.line !== undefined ? `line ${problem.line}${problem.column !== undefined ? `, column ${problem.column}` : ''}: ` : '';
  const sentence = `${where}${problem.message}`;
  const what = problem.kind === 'syntax' ? 'The template has an error' : 'The template could not be rendered';
  return new EngineError('validation_failed', `${what}: ${sentence}`, { ...problem, fields: { template: sentence } });
}

// One isolated instance: nothing registered elsewhere in the process reaches documents, and theirs reach no one.
// Prototype access stays off (Handlebars' default since 4.6): `{{constructor}}`, `{{__proto__}}` read nothing.
const hb = Handlebars.create();
hb.unregisterHelper('log');

interface Budget {
  iterations: number;
  chars: number;
  locale: string;
}
// Rendering is synchronous, so the render in progress owns the budget.
let budget: Budget = { iterations: 0, chars: 0, locale: 'en' };

class LimitExceeded extends Error {}

const tools = { escape: (text: string) => hb.escapeExpression(text), safe: (html: string) => new hb.SafeString(html) };
const helpers: Record<string, Helper> = documentHelpers(tools);
for (const [name, helper] of Object.entries(helpers)) {
  hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Handlebars.HelperOptions;
    return helper(args, options, budget.locale);
  });
}

// `each` counts its turns and the HTML they make, so no template can loop or grow without bound.
const builtinEach = hb.helpers.each as (this: unknown, ...args: unknown[]) => unknown;
hb.registerHelper('each', function (this: unknown, ...args: unknown[]) {
  const options = args[args.length - 1] as Handlebars.HelperOptions;
  const fn = options.fn;
  const counted: Handlebars.HelperOptions = {
    ...options,
    fn: ((context: unknown, runtime?: Handlebars.RuntimeOptions) => {
      if (++budget.iterations > MAX_ITERATIONS) throw new LimitExceeded(`loops ran more than ${MAX_ITERATIONS} times`);
      const out = fn(context, runtime);
      budget.chars += out.length;
      if (budget.chars > MAX_OUTPUT) throw new LimitExceeded('the document grew past 10 MB');
      return out;
    }) as Handlebars.TemplateDelegate,
  };
  return builtinEach.apply(this, [...args.slice(0, -1), counted]);
});

const BUILTIN = ['if', 'unless', 'each', 'with', 'lookup'];
export const HELPER_NAMES: readonly string[] = [...BUILTIN, ...Object.keys(helpers)];
const known = new Set(HELPER_NAMES);

type Node = { type: string; loc?: hbs.AST.SourceLocation; [key: string]: unknown };
const problemAt = (node: Node, message: string): TemplateProblem => ({
  kind: 'syntax',
  message,
  ...(node.loc ? { line: node.loc.start.line, column: node.loc.start.column + 1 } : {}),
});

/** Partials, decorators and unknown helpers are refused before anything runs, with where they are. */
function check(node: Node): TemplateProblem | undefined {
  switch (node.type) {
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return problemAt(node, 'partials ({{> name}}) are not supported');
    case 'Decorator':
    case 'DecoratorBlock':
      return problemAt(node, 'decorators ({{* name}}) are not supported');
    case 'MustacheStatement':
    case 'BlockStatement':
    case 'SubExpression': {
      const path = node.path as Node & { original?: unknown; data?: boolean };
      const params = node.params as unknown[];
      const hash = node.hash as { pairs: unknown[] } | undefined;
      const call = node.type === 'SubExpression' || params.length > 0 || (hash?.pairs.length ?? 0) > 0;
      if (call && path.type === 'PathExpression' && (path.data || !known.has(String(path.original)))) {
        return problemAt(path, `there is no helper "${String(path.original)}" (helpers: ${HELPER_NAMES.join(', ')})`);
      }
    }
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc') continue;
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child === 'object' && typeof (child as Node).type === 'string') {
        const found = check(child as Node);
        if (found) return found;
      }
    }
  }
  return undefined;
}

interface JisonLocation {
  first_line: number;
  first_column: number;
}
const lexer = () => (hb as unknown as { Parser?: { lexer?: { yylloc?: JisonLocation } } }).Parser?.lexer;

/** The parser's token names as a template author reads them. */
const TOKENS: Record<string, string> = {
  EOF: 'the end of the template',
  OPEN_ENDBLOCK: '{{/…}}',
  INVERSE: '{{else}}',
  OPEN_INVERSE_CHAIN: '{{else …}}',
  OPEN: '{{',
  OPEN_BLOCK: '{{#',
  OPEN_UNESCAPED: '{{{',
  CLOSE: '}}',
  CLOSE_UNESCAPED: '}}}',
  OPEN_SEXPR: '(',
  CLOSE_SEXPR: ')',
  ID: 'a name',
  STRING: 'a "text"',
  NUMBER: 'a number',
  BOOLEAN: 'true or false',
  DATA: 'an @name',
  SEP: '. or /',
  EQUALS: '=',
  CONTENT: 'text',
  INVALID: 'a character that cannot be there',
};

function expectation(expected: string, got: string): string {
  const names = [...new Set([...expected.matchAll(/'(\w+)'/g)].map((m) => TOKENS[m[1]!] ?? m[1]!))];
  const found = TOKENS[got] ?? got;
  if (got === 'EOF' && names.includes('{{/…}}')) return 'a {{#…}} block is not closed: its {{/…}} is missing';
  if (got === 'OPEN_ENDBLOCK') return 'this {{/…}} closes no open block';
  if (got === 'INVALID') return 'unexpected character (is a {{ or a quote left open?)';
  return names.length <= 4 ? `expected ${names.join(' or ')}, found ${found}` : `${found} cannot be here`;
}

/** Where the last block still open at the end starts (`{{#each` without its `{{/each}}`), found by a quick scan. */
function unclosedBlock(source: string): { name: string; line: number; column: number } | undefined {
  const open: { name: string; index: number }[] = [];
  for (const m of source.matchAll(/\{\{~?\s*([#^/])\s*\*?\s*([^\s}~()]+)/g)) {
    if (m[1] === '/') open.pop();
    else open.push({ name: m[2]!, index: m.index });
  }
  const last = open.at(-1);
  if (!last) return undefined;
  const before = source.slice(0, last.index).split('\n');
  return { name: last.name, line: before.length, column: before.at(-1)!.length + 1 };
}

/** A parse error of Handlebars as a problem with its line and column (the lexer stopped where it went wrong). */
function syntaxProblem(error: unknown, source: string): TemplateProblem {
  const raw = error instanceof Error ? error.message : String(error);
  const located = error as { lineNumber?: unknown; column?: unknown };
  if (typeof located.lineNumber === 'number') {
    const message = raw.replace(/ - \d+:\d+$/, '');
    return { kind: 'syntax', message, line: located.lineNumber, ...(typeof located.column === 'number' ? { column: located.column + 1 } : {}) };
  }
  const parse = /^Parse error on line (\d+):[\s\S]*\nExpecting (.*), got '(\w+)'$/.exec(raw);
  const at = lexer()?.yylloc;
  if (parse) {
    const message = expectation(parse[2]!, parse[3]!);
    const block = parse[3] === 'EOF' && message.includes('is not closed') ? unclosedBlock(source) : undefined;
    if (block) return { kind: 'syntax', message: `{{#${block.name}}} is not closed: its {{/${block.name}}} is missing`, line: block.line, column: block.column };
    return { kind: 'syntax', message, line: at?.first_line ?? Number(parse[1]), ...(at ? { column: at.first_column + 1 } : {}) };
  }
  return { kind: 'syntax', message: raw.split('\n')[0] ?? raw, ...(at ? { line: at.first_line, column: at.first_column + 1 } : {}) };
}

export type CompiledTemplate = (data: unknown, locale: string) => string;

const cache = new Map<string, CompiledTemplate>();
const CACHE_SIZE = 100;

/** Parses and checks a template (400 with line and column on an error) into a render function. */
export function compileTemplate(source: string): CompiledTemplate {
  const cached = cache.get(source);
  if (cached) return cached;
  if (source.length > MAX_TEMPLATE_LENGTH) throw templateError({ kind: 'syntax', message: `a template is at most ${MAX_TEMPLATE_LENGTH / 1024} KB` });
  const nesting = nestingProblem(source);
  if (nesting) throw templateError({ kind: 'syntax', ...nesting });
  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(source);
  } catch (error) {
    throw templateError(syntaxProblem(error, source));
  }
  const problem = check(ast as unknown as Node);
  if (problem) throw templateError(problem);
  const template = hb.compile(ast, { strict: false, noEscape: false, data: true });
  const render: CompiledTemplate = (data, locale) => {
    budget = { iterations: 0, chars: 0, locale };
    try {
      const html = template(data);
      if (html.length > MAX_OUTPUT) throw new LimitExceeded('the document grew past 10 MB');
      return html;
    } catch (error) {
      throw templateError(runtimeProblem(error));
    }
  };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(source, render);
  return render;
}

function runtimeProblem(error: unknown): TemplateProblem {
  if (error instanceof RangeError) return { kind: 'runtime', message: 'the template nests too deeply' };
  const message = error instanceof Error ? error.message : String(error);
  const located = error as { lineNumber?: unknown; column?: unknown };
  return {
    kind: 'runtime',
    message: message.replace(/ - \d+:\d+$/, ''),
    ...(typeof located.lineNumber === 'number' ? { line: located.lineNumber } : {}),
    ...(typeof located.column === 'number' ? { column: located.column + 1 } : {}),
  };
}
