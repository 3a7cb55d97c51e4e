import { api } from '../api/http.js';
import { sheetPath } from '../api/queries.js';
import type { Sheet } from '../api/types.js';

interface AjvError {
  instancePath: string;
  keyword: string;
  params: { missingProperty?: string; limit?: number };
  message?: string;
}
type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
type Schema = { properties?: Record<string, { 'x-message'?: string }> };

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
export async function loadValidator(workspaceId: string, sheet: Sheet, requiredMessage: string): Promise<(values: Record<string, unknown>) => Record<string, string>> {
  const base = sheetPath(workspaceId, sheet.id);
  const [module, schema] = await Promise.all([
    import(/* @vite-ignore */ `${base}/validator.js?v=${version(sheet)}`) as Promise<{ default: Validate }>,
    api<Schema>('GET', `${base}/schema`),
  ]);
  const validate = module.default;
  return (values) => {
    const errors: Record<string, string> = {};
    if (validate(values)) return errors;
    for (const error of validate.errors ?? []) {
      const name = error.keyword === 'required' ? error.params.missingProperty : error.instancePath.split('/')[1]?.replace(/~1/g, '/').replace(/~0/g, '~');
      if (!name || errors[name]) continue;
      errors[name] = error.keyword === 'required' ? requiredMessage : (schema.properties?.[name]?.['x-message'] ?? describe(error));
    }
    return errors;
  };
}

function describe(error: AjvError): string {
  const limit = error.params.limit;
  switch (error.keyword) {
    case 'maxLength':
      return `must be at most ${limit} characters`;
    case 'maximum':
      return `must be at most ${limit}`;
    case 'minimum':
      return `must be at least ${limit}`;
    default:
      return error.message ?? 'is not valid';
  }
}
