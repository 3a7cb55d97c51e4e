import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { EngineError } from '../schema-engine/index.js';
import { isConnectionLoss, isTransientConflict } from './db-errors.js';
import { requestLanguage } from './language.js';

/** An HTTP error of the server itself (authentication, access), in the API's error shape. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const unauthorized = () => new HttpError(401, 'unauthorized', 'Sign in first (session cookie or Authorization: Bearer <token>)');
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

const body = (code: string, message: string, details?: Record<string, unknown>) => ({ error: { code, message, ...(details ? { details } : {}) } });

/** Seconds a client should wait before trying again after a 503. */
export const RETRY_AFTER_SECONDS = 1;

/** Every error leaves as `{error: {code, message, details?}}`; anything unexpected is logged and answered 500. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof EngineError || error instanceof HttpError) {
      const zh = error instanceof EngineError && requestLanguage(request) === 'zh-TW' ? error.zh : undefined;
      return reply.status(error.status).send(body(error.code, zh?.message ?? error.message, zh?.details ?? error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields: Record<string, string> = {};
      for (const issue of error.validation) {
        const key = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || String(error.validationContext ?? 'body');
        fields[key] ??= issue.message ?? 'is not valid';
      }
      const [first] = Object.entries(fields);
      return reply.status(400).send(body('validation_failed', `Invalid ${error.validationContext ?? 'request'}: ${first?.[0]} ${first?.[1]}`, { fields }));
    }
    // The database's trouble, not the request's: the one request is answered and the server goes on.
    if (isConnectionLoss(error)) {
      request.log.warn(`database connection lost during ${request.method} ${request.url.split('?')[0]}: ${error.message}`);
      return reply
        .status(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send(body('unavailable', 'The database connection was lost or the database is not available right now; try again in a moment.'));
    }
    if (isTransientConflict(error)) {
      return reply.status(409).send(body('busy', 'Another change got in the way; nothing was saved. Try again.'));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send(body(CODE_BY_STATUS[status] ?? 'bad_request', error.message));
    }
    request.log.error(error);
    return reply.status(500).send(body('internal', 'Something went wrong on the server; nothing was changed'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(body('not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}
