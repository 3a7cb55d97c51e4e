import { message, type Language, type MessageParams } from '../../schema-engine/index.js';
import { PHRASES } from './engine-phrases.js';
import { FRAMES, LABELS, REASONS, type ReasonKey } from './validation-messages.js';

/** Params that are sentences (or words) of their own, translated in turn; the others are names and numbers. */
const SENTENCE_PARAMS = new Set(['reason', 'what', 'kind']);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each phrase's English as a whole-sentence pattern; `{param}` matches anything (shortest first). */
const PATTERNS = [...Object.values(PHRASES), ...Object.values(REASONS)].map((phrase) => {
  const names: string[] = [];
  const source = phrase.en.split(/(\{\w+\})/).map((part) => {
    const param = /^\{(\w+)\}$/.exec(part);
    if (!param) return escapeRegExp(part);
    names.push(param[1]!);
    // Numbers are numbers: a sentence inside a sentence can hold " (at character 1)" of its own.
    return param[1] === 'n' ? '(-?[\\d.,]+)' : '([\\s\\S]+?)';
  });
  return { regexp: new RegExp(`^${source.join('')}$`), names, zh: phrase['zh-TW'] };
});

/** An engine sentence in `language`: English as it is; Chinese from PHRASES, or English when no phrase matches. */
export function translateSentence(text: string, language: Language): string {
  if (language === 'en') return text;
  for (const { regexp, names, zh } of PATTERNS) {
    const match = regexp.exec(text);
    if (!match) continue;
    const params: MessageParams = {};
    names.forEach((name, i) => (params[name] = SENTENCE_PARAMS.has(name) ? translateSentence(match[i + 1]!, language) : match[i + 1]!));
    return zh.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));
  }
  const prefixed = /^([A-Za-z]\w*(?:\.\w+)*): ([\s\S]+)$/.exec(text);
  if (prefixed && labelOf(prefixed[1]!.split('.').at(-1)!, language, false) !== undefined) {
    return sentence(optionLabel(prefixed[1]!, language), translateSentence(prefixed[2]!, language), language);
  }
  return text;
}

const sentence = (what: string, reason: string, language: Language) => message(FRAMES, 'sentence', language, { what, reason });

/** A key of the request as people read it: a known label, else the key quoted (or undefined when `quote` is false). */
function labelOf(key: string, language: Language, quote = true): string | undefined {
  const known = (LABELS as Record<string, Record<Language, string>>)[key];
  if (known) return known[language];
  return quote ? message(FRAMES, 'quoted', language, { name: key }) : undefined;
}

/** `options.copyFrom.field` → "Field" (the last key named; the engine's dotted path stays in details). */
function optionLabel(path: string, language: Language): string {
  const keys = path.split('.').filter((key) => key !== 'options' && !/^\d+$/.test(key));
  return labelOf(keys.at(-1) ?? 'options', language)!;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Where in the request a value is: the key's label, with the list and position when it is inside a list. */
function placeOf(path: string[], context: string, language: Language): string {
  if (path.length === 0) return (FRAMES as Record<string, Record<Language, string>>)[context]?.[language] ?? FRAMES.body[language];
  const last = path.at(-1)!;
  const index = [...path].reverse().findIndex((key) => /^\d+$/.test(key));
  const listKey = index === -1 ? undefined : path[path.length - 2 - index];
  const named = (key: string) => (context === 'querystring' && path.length === 1 ? message(FRAMES, 'parameter', language, { name: key }) : labelOf(key, language)!);
  if (/^\d+$/.test(last)) return message(FRAMES, 'item', language, { n: Number(last) + 1, list: listKey ? labelOf(listKey, language)! : FRAMES.body[language] });
  if (index === -1 || !listKey) return named(last);
  const n = Number(path[path.length - 1 - index]) + 1;
  return message(FRAMES, 'in_item', language, { label: labelOf(last, language)!, list: labelOf(listKey, language)!, n });
}

/** One issue of a zod validation as fastify-type-provider-zod hands it over. */
export interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

const TYPE_REASONS: Record<string, ReasonKey> = {
  string: 'type_string',
  number: 'type_number',
  int: 'type_integer',
  integer: 'type_integer',
  boolean: 'type_boolean',
  array: 'type_array',
  object: 'type_object',
  record: 'type_object',
};

const FORMAT_REASONS: Record<string, ReasonKey> = { email: 'format_email', url: 'format_url', date: 'format_date', datetime: 'format_datetime', regex: 'format_pattern' };

/** What is wrong, from the kind of check and its limits. */
function reasonOf(issue: ValidationIssue, given: unknown, language: Language): string {
  const p = issue.params ?? {};
  const reason = (key: ReasonKey, params: MessageParams = {}) => message(REASONS, key, language, params);
  const limit = (name: 'minimum' | 'maximum') => String(p[name]);
  switch (issue.keyword) {
    case 'invalid_type':
      if (given === undefined) return reason('required');
      return reason(TYPE_REASONS[String(p.expected)] ?? 'type_other', { expected: String(p.expected) });
    case 'too_small':
      if (p.origin === 'string') return Number(p.minimum) === 1 ? reason('not_empty') : reason('min_length', { n: limit('minimum') });
      if (p.origin === 'array' || p.origin === 'set') return reason('min_items', { n: limit('minimum') });
      return reason(p.inclusive === false ? 'more_than' : 'at_least', { n: limit('minimum') });
    case 'too_big':
      if (p.origin === 'string') return reason('max_length', { n: limit('maximum') });
      if (p.origin === 'array' || p.origin === 'set') return reason('max_items', { n: limit('maximum') });
      return reason(p.inclusive === false ? 'less_than' : 'at_most', { n: limit('maximum') });
    case 'not_multiple_of':
      return reason('multiple_of', { n: String(p.divisor) });
    case 'invalid_format':
      return reason(FORMAT_REASONS[String(p.format)] ?? 'format_other', { format: String(p.format) });
    case 'invalid_value':
      return reason('one_of', { values: (Array.isArray(p.values) ? p.values : []).map((v) => JSON.stringify(v)).join(', ') });
    case 'custom':
      // A schema's own sentence (written in English by the engine): translated when it is a known one.
      return issue.message ? translateSentence(issue.message, language) : reason('not_valid');
    default:
      return reason('not_valid');
  }
}

/** The value a request gave at `path` (undefined when absent). */
function valueAt(input: unknown, path: string[]): unknown {
  let value = input;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

const MAX_SENTENCES = 3;

/**
 * The sentence of a refused request: each wrong part named (a field's label, a parameter's name) and what is wrong
 * with it, in `language`. No validator's internals (paths with dots, "Invalid body").
 */
export function validationMessage(issues: ValidationIssue[], context: string, input: unknown, language: Language): string {
  const sentences: string[] = [];
  for (const issue of issues) {
    const path = issue.instancePath.split('/').filter(Boolean);
    if (issue.keyword === 'unrecognized_keys') {
      const keys = Array.isArray(issue.params?.keys) ? (issue.params.keys as string[]) : [];
      for (const key of keys) sentences.push(sentence(placeOf([...path, key], context, language), message(REASONS, 'unknown_key', language), language));
    } else {
      sentences.push(sentence(placeOf(path, context, language), reasonOf(issue, valueAt(input, path), language), language));
    }
  }
  const unique = [...new Set(sentences)];
  const shown = unique.slice(0, MAX_SENTENCES).join(FRAMES.join[language]);
  const more = unique.length > MAX_SENTENCES ? ` ${message(FRAMES, 'more', language, { n: unique.length - MAX_SENTENCES })}` : '';
  return capitalize(shown + more);
}

/** One field's reason as a person reads it beside the field: an option's dotted path replaced by its label. */
export function fieldReason(reason: string, language: Language): string {
  const option = /^options((?:\.\w+)*): ([\s\S]+)$/.exec(reason);
  if (option) return sentence(optionLabel(option[1] || 'options', language), translateSentence(option[2]!, language), language);
  return translateSentence(reason, language);
}

/** Each bad part of a refused request and what is wrong with it (keyed as `details.fields`), in `language`. */
export function validationReasons(issues: ValidationIssue[], context: string, input: unknown, language: Language): Record<string, string> {
  const reasons: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.instancePath.split('/').filter(Boolean);
    if (issue.keyword === 'unrecognized_keys') {
      const keys = Array.isArray(issue.params?.keys) ? (issue.params.keys as string[]) : [];
      for (const key of keys) reasons[[...path, key].join('.')] ??= message(REASONS, 'unknown_key', language);
    } else {
      reasons[path.join('.') || context] ??= reasonOf(issue, valueAt(input, path), language);
    }
  }
  return reasons;
}

/**
 * The sentence of an engine refusal that names bad fields (`details.fields`: name → reason): each field and its
 * reason in `language`, an option's dotted path replaced by the option's label.
 */
export function fieldsMessage(fields: Record<string, string>, language: Language): string {
  const entries = Object.entries(fields);
  const sentences = entries.slice(0, MAX_SENTENCES).map(([field, reason]) => {
    const option = /^options((?:\.\w+)*): ([\s\S]+)$/.exec(reason);
    if (option) {
      const what = message(FRAMES, 'option_of', language, { field, label: optionLabel(option[1] || 'options', language) });
      return sentence(what, translateSentence(option[2]!, language), language);
    }
    return sentence(message(FRAMES, 'quoted', language, { name: field }), translateSentence(reason, language), language);
  });
  const more = entries.length > MAX_SENTENCES ? ` ${message(FRAMES, 'more', language, { n: entries.length - MAX_SENTENCES })}` : '';
  return sentences.join(FRAMES.join[language]) + more;
}
