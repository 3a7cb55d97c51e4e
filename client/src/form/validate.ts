import { sheetPath } from '../api/queries.js';
import type { Sheet } from '../api/types.js';
import type { MessageKey } from '../i18n/en.js';

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface AjvError {
  instancePath: string;
  keyword: string;
  params: { missingProperty?: string; limit?: number };
  message?: string;
}
type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

/** A short hash of the sheet's fields, so a changed sheet loads a fresh validator module. */
function version(sheet: Sheet): string {
  let h = 0;
  for (const c of JSON.stringify(sheet.fields)) h = (h * 31 + c.charCodeAt(0)) | 0;
  return (h >>> 0).toString(36);
}

/**
 * The sheet's validator: ajv compiled on the server from the same JSON Schema the server checks writes with, loaded
 * as a module of this origin (no eval in the browser). Answers field name → what is wrong.
 */
export async function loadValidator(workspaceId: string, sheet: Sheet, t: Translate): Promise<(values: Record<string, unknown>) => Record<string, string>> {
  const base = sheetPath(workspaceId, sheet.id);
  const module = (await import(/* @vite-ignore */ `${base}/validator.js?v=${version(sheet)}`)) as { default: Validate };
  const validate = module.default;
  const types = new Map(sheet.fields.map((f) => [f.name, f.type]));
  return (values) => {
    const errors: Record<string, string> = {};
    if (validate(values)) return errors;
    for (const error of validate.errors ?? []) {
      const name = error.keyword === 'required' ? error.params.missingProperty : error.instancePath.split('/')[1]?.replace(/~1/g, '/').replace(/~0/g, '~');
      if (!name || errors[name]) continue;
      errors[name] = error.keyword === 'required' ? t('form.required') : describe(error, types.get(name), t);
    }
    return errors;
  };
}

/** What the value of a field of `type` must be, when ajv refuses its shape (the server's `x-message`, in the UI's language). */
const SHAPE_MESSAGES: Partial<Record<string, MessageKey>> = {
  number: 'form.invalid.number',
  currency: 'form.invalid.number',
  percent: 'form.invalid.number',
  email: 'form.invalid.email',
  url: 'form.invalid.url',
  phone: 'form.invalid.phone',
  date: 'form.invalid.date',
  datetime: 'form.invalid.datetime',
  checkbox: 'form.invalid.checkbox',
  single_select: 'form.invalid.choice',
  multi_select: 'form.invalid.choices',
  user: 'form.invalid.user',
  link: 'form.invalid.link',
  attachment: 'form.invalid.attachment',
};

function describe(error: AjvError, type: string | undefined, t: Translate): string {
  const n = error.params.limit ?? 0;
  const shape = type ? SHAPE_MESSAGES[type] : undefined;
  switch (error.keyword) {
    case 'maxLength':
      return t('form.invalid.maxLength', { n });
    case 'minLength':
      return t('form.invalid.empty');
    case 'maximum':
      return shape ? t(shape) : t('form.invalid.maximum', { n });
    case 'minimum':
      return shape ? t(shape) : t('form.invalid.minimum', { n });
    case 'maxItems':
      return t('form.invalid.maxItems', { n });
    default:
      return shape ? t(shape) : t('form.invalid.other');
  }
}
