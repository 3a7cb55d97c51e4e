import { ApiError } from '../api/http.js';
import type { MessageKey } from '../i18n/en.js';

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A server refusal as the wizard shows it: a sentence in the user's language, and the server's own words (naming the value). */
export interface Shown {
  message: string;
  detail?: string;
}

const BY_STATUS: Record<number, MessageKey> = {
  400: 'imports.error.invalid',
  403: 'imports.error.forbidden',
  404: 'imports.error.notFound',
  409: 'imports.error.conflict',
  413: 'imports.error.tooLarge',
  415: 'imports.error.unreadable',
};

/** Places of the start and upload a refusal may name, each with a sentence of its own. */
const PLACES = ['sheet', 'newSheet', 'mode', 'key', 'onError', 'dateOrder', 'mapping', 'encoding', 'worksheet', 'file'];

/** The whole answer: what happened, in the user's language, then what the server said. */
export function shownError(error: unknown, t: Translate): Shown {
  if (!(error instanceof ApiError)) return { message: t('toast.error') };
  const key = BY_STATUS[error.status] ?? (error.status === 503 ? 'imports.error.unavailable' : undefined);
  return { message: key ? t(key) : t('toast.error'), detail: error.message };
}

/**
 * A refusal's problems by what caused them (`mapping.<column>`, `mapping.<column>.new.name`, `key`, `sheet`, `newSheet`,
 * `mode`, `file`…), each as a sentence in the user's language naming the place, plus the server's words.
 */
export function fieldErrors(error: unknown, t: Translate): Record<string, Shown> {
  if (!(error instanceof ApiError)) return {};
  const shown: Record<string, Shown> = {};
  for (const [where, what] of Object.entries(error.fields)) {
    const key: MessageKey = where.endsWith('.new.name')
      ? 'imports.error.newName'
      : where.includes('.new')
        ? 'imports.error.newField'
        : where.startsWith('mapping.')
          ? 'imports.error.column'
          : PLACES.includes(where)
            ? (`imports.error.at.${where}` as MessageKey)
            : 'imports.error.invalid';
    shown[where] = { message: t(key), detail: what };
  }
  return shown;
}

/** The column a problem's place names (`mapping.<column>…`), or undefined. */
export const columnOf = (where: string, columns: readonly string[]): string | undefined =>
  columns
    .filter((c) => where === `mapping.${c}` || where.startsWith(`mapping.${c}.new`))
    .sort((a, b) => b.length - a.length)[0];
