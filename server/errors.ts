import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { EngineError } from '../schema-engine/index.js';

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

/** Every error leaves as `{error: {code, message, details?}}`; anything unexpected is logged and answered 500. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof EngineError || error instanceof HttpError) {
      return reply.status(error.status).send(body(error.code, error.message, error.details));
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
