import type { Choice, Field } from '../api/types.js';
import { clientType } from '../field-types/index.js';

/** Value kinds whose values can be copied from a linked record when the link is picked (the server's copy-from.ts). */
const COPYABLE_KINDS: ReadonlySet<string> = new Set(['text', 'number', 'boolean', 'date', 'datetime']);
export const isCopyable = (type: string) => !clientType(type).readOnly && COPYABLE_KINDS.has(clientType(type).valueKind);

export interface CopyFromOption {
  link: string;
  field: string;
  again: 'never' | 'on_change';
}

export const copyFromOf = (field: Pick<Field, 'options'>): CopyFromOption | undefined => (field.options as { copyFrom?: CopyFromOption } | undefined)?.copyFrom;

/** Choice names one per line, as the choices editor and the import wizard show them. */
export const choiceLines = (options: Record<string, unknown> | undefined) => ((options?.choices as Choice[] | undefined) ?? []).map((c) => c.name).join('\n');

/** Choices from lines: a name already there keeps its choice (id, colour); a new one gets its id from the server. */
export function choicesFromLines(lines: string, old: readonly Partial<Choice>[] = []): Partial<Choice>[] {
  const names = [...new Set(lines.split('\n').map((n) => n.trim()).filter(Boolean))];
  return names.map((name) => old.find((c) => c.name === name) ?? { name });
}

/** The options the dialog starts from: the field's own, or those of a type a field gets anew. */
export function initialOptions(type: string, field?: Field): Record<string, unknown> {
  if (field && field.type === type) return field.options;
  const copyFrom = field && isCopyable(type) ? copyFromOf(field) : undefined;
  return { ...(clientType(type).initialOptions?.() ?? {}), ...(copyFrom ? { copyFrom } : {}) };
}

/**
 * Options as a create or change sends them: as edited, through the type's `toInput`; none for a type without options
 * unless it copies on pick (options are replaced as a whole: a field that stops copying sends `{}`).
 */
export function toOptions(type: string, options: Record<string, unknown>, existing?: Field): Record<string, unknown> | undefined {
  const module = clientType(type);
  const { copyFrom, ...own } = options;
  const sent = module.toInput ? module.toInput(own, existing) : own;
  const copying = isCopyable(type) && copyFrom ? { copyFrom } : {};
  if (!module.optionsEditor && !copyFrom && !(existing && copyFromOf(existing))) return undefined;
  return { ...sent, ...copying };
}
