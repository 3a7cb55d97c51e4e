/** Template languages and their Text: pure (no zod), so the browser's gallery shares it. */
export const LANGUAGES = ['en', 'zh-TW'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What a user sees: one string for every language, or one per language. */
export type Text = string | { en: string; 'zh-TW': string };

export function isText(value: unknown): value is Text {
  if (typeof value === 'string') return true;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 2 && LANGUAGES.every((l) => typeof (value as Record<string, unknown>)[l] === 'string');
}

/** The text in a language. */
export function localize(text: Text, language: Language): string {
  return typeof text === 'string' ? text : text[language];
}

/** Keys of a form layout that hold Text (what people read); everything else is structure. */
const LAYOUT_TEXT_KEYS = new Set(['title', 'description', 'label', 'help', 'placeholder', 'text']);

export interface LayoutMaps {
  field(key: string): string;
  condition(logic: unknown): unknown;
  /** A field element's default value (a select's choice key becomes its name). */
  value(fieldKey: string, value: unknown): unknown;
  /** A column of a related list: a field of the sheet its link leads to. */
  column(linkKey: string, key: string): string;
}

const identity: LayoutMaps = { field: (k) => k, condition: (c) => c, value: (_, v) => v, column: (_, k) => k };

/** A template form layout in one language: Text becomes strings; fields, conditions and defaults map through `maps`. */
export function localizeLayout(layout: unknown, language: Language, maps: LayoutMaps = identity): unknown {
  const walk = (node: unknown, key?: string): unknown => {
    if (key === 'visibleWhen' || key === 'requiredWhen') return maps.condition(node);
    if (key === 'field' && typeof node === 'string') return maps.field(node);
    if (Array.isArray(node)) return node.map((n) => walk(n));
    if (node === null || typeof node !== 'object') return node;
    if (key && LAYOUT_TEXT_KEYS.has(key) && isText(node)) return localize(node, language);
    const field = (node as { field?: unknown }).field;
    const related = (node as { kind?: unknown }).kind === 'related' && typeof field === 'string';
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => {
        if (k === 'defaultValue' && typeof field === 'string') return [k, maps.value(field, v)];
        if (k === 'columns' && related && Array.isArray(v)) return [k, v.map((c) => maps.column(field, String(c)))];
        return [k, walk(v, k)];
      }),
    );
  };
  return walk(layout);
}
