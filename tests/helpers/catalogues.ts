import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One message in both languages, wherever it is written. */
export interface Pair {
  where: string;
  en: string;
  zh: string;
}

/** Latin words a Traditional Chinese text keeps as they are: names of formats, protocols and products. */
export const KEPT_WORDS = new Set(['API', 'CSV', 'TSV', 'XLSX', 'JSON', 'URL', 'HTTP', 'HTTPS', 'Webhook', 'OpenAPI', 'Excel', 'Handlebars', 'UTF', 'CRM', 'Big5', 'Esc', 'Ctrl', 'ID', 'SMTP', 'HMAC', 'SHA256', 'ISO']);

/** The Latin words of a text outside `{placeholders}`, `{{handlebars}}` and KEPT_WORDS. */
export function untranslatedWords(text: string): string[] {
  const prose = text.replace(/\{\{[^}]*\}\}/g, ' ').replace(/\{\w+\}/g, ' ');
  return (prose.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).filter((word) => word.length > 1 && !KEPT_WORDS.has(word));
}

/** The `{name}` placeholders of a message, sorted. */
export const placeholders = (text: string) => [...new Set(text.replace(/\{\{[^}]*\}\}/g, '').match(/\{\w+\}/g) ?? [])].sort();

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return /\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

const propertyName = (name: ts.PropertyName) => (ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : '');
const literal = (node: ts.Expression | undefined) =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

/**
 * The server's message tables: every object literal `{ en: '…', 'zh-TW': '…' }` under the given folders (the
 * MessageTable entries of each feature, Text values, date words). A table whose entry lacks one language is a type
 * error already; this reads what they say.
 */
export function serverPairs(root: string, folders: string[]): Pair[] {
  const pairs: Pair[] = [];
  for (const path of folders.flatMap((folder) => tsFiles(join(root, folder)))) {
    const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isObjectLiteralExpression(node)) {
        const values = new Map<string, ts.Expression>();
        for (const property of node.properties) if (ts.isPropertyAssignment(property)) values.set(propertyName(property.name), property.initializer);
        const en = literal(values.get('en'));
        const zh = literal(values.get('zh-TW'));
        if (en !== undefined && zh !== undefined) {
          const owner = node.parent && ts.isPropertyAssignment(node.parent) ? propertyName(node.parent.name) : '';
          pairs.push({ where: `${relative(root, path)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1} ${owner}`, en, zh });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return pairs;
}
