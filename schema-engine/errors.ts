/** Errors the engine raises for bad input or conflicts; the server maps them to HTTP statuses. */
export type EngineErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'version_conflict'
  | 'busy'
  | 'forbidden'
  | 'unconvertible'
  | 'has_dependents'
  | 'schema_changed';

const STATUS: Record<EngineErrorCode, number> = {
  validation_failed: 400,
  not_found: 404,
  conflict: 409,
  version_conflict: 409,
  busy: 409,
  forbidden: 403,
  unconvertible: 409,
  has_dependents: 409,
  schema_changed: 409,
};

/** The message and details of an error in Traditional Chinese, where they were worded (the server answers in the request's language). */
export interface ZhTranslation {
  message: string;
  details?: Record<string, unknown>;
}

export class EngineError extends Error {
  readonly status: number;
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly zh?: ZhTranslation,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

/** A 400 that names each bad field: `{fields: {"<field name>": "what is wrong"}}`; `zhFields` the same in Chinese. */
export function fieldErrors(fields: Record<string, string>, message?: string, zhFields?: Record<string, string>): EngineError {
  const names = Object.keys(fields);
  const zh = zhFields && { message: `${names.map((n) => `「${n}」`).join('、')}的值無效：${Object.values(zhFields)[0]}`, details: { fields: zhFields } };
  return new EngineError(
    'validation_failed',
    message ?? `Invalid value${names.length > 1 ? 's' : ''} for ${names.map((n) => JSON.stringify(n)).join(', ')}: ${Object.values(fields)[0]}`,
    { fields },
    zh,
  );
}

export const notFound = (what: string) => new EngineError('not_found', `${what} was not found`);
export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new EngineError('validation_failed', message, details);
