import type { InstallState } from './install-state.js';
import { choicesOf, isSelect, type ModelField } from './model.js';
import { isText } from './text.js';

/** `{"days": n}`: a date n days from the day of the install, so sample deadlines stay ahead of whoever installs. */
function relativeDay(value: unknown): Date | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const days = (value as { days?: unknown }).days;
  if (typeof days !== 'number' || Object.keys(value).length !== 1) return undefined;
  const today = new Date();
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + days, 9));
}

/** The special user value of sample records: whoever installs the template. */
export const INSTALLING_USER = '$me';

/**
 * A template value as the records API takes it, in the install's language: a select's choice keys become names,
 * a link's record keys become ids (`undefined` when a linked record is not written yet), Text becomes a string.
 */
export function templateValue(state: InstallState, field: ModelField, value: unknown): unknown {
  if (field.def && isSelect(field.type)) {
    const choices = choicesOf(field.def);
    const name = (key: unknown) => state.text(choices.find((c) => c.key === key)!.name);
    return Array.isArray(value) ? value.map(name) : name(value);
  }
  if (field.link) {
    const target = field.link.sheet;
    const ids = (Array.isArray(value) ? value : [value]).map((key) => state.recordId(target, String(key)));
    return ids.every((id) => id !== undefined) ? ids : undefined;
  }
  if (field.type === 'user' && value === INSTALLING_USER) return state.userId;
  if (field.type === 'date' || field.type === 'datetime') {
    const day = relativeDay(value);
    if (day) return field.type === 'date' ? day.toISOString().slice(0, 10) : day.toISOString();
  }
  if (isText(value) && typeof value !== 'string') return state.text(value);
  return value;
}
