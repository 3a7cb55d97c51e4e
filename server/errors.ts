import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { EngineError, type Language, type ZhTranslation } from '../schema-engine/index.js';
import { isConnectionLoss, isTransientConflict } from './db-errors.js';
import { requestLanguage } from './language.js';
import { fieldReason, fieldsMessage, translateSentence, validationMessage, validationReasons, type ValidationIssue } from './messages/localize.js';
import { FRAMEWORK } from './messages/validation-messages.js';

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

/**
 * An engine or server refusal in the request's language. The engine writes English; a refusal naming bad fields is
 * said again from its `details.fields` (each field and what is wrong, no dotted option paths), the others are
 * translated sentence by sentence. `details.fields` stay as they are: they are the API's machine-readable part.
 */
function engineMessage(error: EngineError | HttpError, language: Language): string {
  const fields = error.details?.fields;
  if (/^Invalid values? for /.test(error.message) && fields && typeof fields === 'object' && Object.keys(fields).length) {
    return fieldsMessage(fields as Record<string, string>, language);
  }
  return translateSentence(error.message, language);
}

/**
 * `details` with, for a request in another language than English, `messages`: the reasons of `details.fields` (same
 * keys) in that language, for a client to show beside each field. `fields` itself stays the engine's English.
 */
function withMessages(details: Record<string, unknown> | undefined, language: Language): Record<string, unknown> | undefined {
  const fields = details?.fields;
  if (language === 'en' || !fields || typeof fields !== 'object') return details;
  const messages = Object.fromEntries(Object.entries(fields as Record<string, unknown>).map(([key, reason]) => [key, typeof reason === 'string' ? fieldReason(reason, language) : reason]));
  return { ...details, messages };
}

/**
 * A refusal the engine worded in Chinese itself (formulas): its reasons per field framed as the translated ones are
 * (the option's label, not its dotted path), kept beside the English `details.fields` as `messages`.
 */
function engineZh(error: EngineError, zh: ZhTranslation): { message: string; details: Record<string, unknown> | undefined } {
  const fields = zh.details?.fields as Record<string, string> | undefined;
  if (!fields || typeof fields !== 'object') return { message: zh.message, details: error.details };
  const reasons = Object.fromEntries(Object.entries(fields).map(([key, reason]) => [key, reason.replace(/^(options(?:\.\w+)*)：/, '$1: ')]));
  const messages = Object.fromEntries(Object.entries(reasons).map(([key, reason]) => [key, fieldReason(reason, 'zh-TW')]));
  return { message: fieldsMessage(reasons, 'zh-TW'), details: { ...error.details, messages } };
}

/** Every error leaves as `{error: {code, message, details?}}`; anything unexpected is logged and answered 500. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const language = requestLanguage(request);
    if (error instanceof EngineError || error instanceof HttpError) {
      const zh = error instanceof EngineError && language === 'zh-TW' ? error.zh : undefined;
      // Worded in Chinese by the engine itself (formulas): that wins over translating the English sentence.
      if (zh) {
        const worded = engineZh(error as EngineError, zh);
        return reply.status(error.status).send(body(error.code, worded.message, worded.details));
      }
      return reply.status(error.status).send(body(error.code, engineMessage(error, language), withMessages(error.details, language)));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields: Record<string, string> = {};
      for (const issue of error.validation) {
        const key = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || String(error.validationContext ?? 'body');
        fields[key] ??= issue.message ?? 'is not valid';
      }
      const context = String(error.validationContext ?? 'body');
      const input = (request as unknown as Record<string, unknown>)[context === 'querystring' ? 'query' : context];
      const text = validationMessage(error.validation as unknown as ValidationIssue[], context, input, language);
      const messages = language === 'en' ? {} : { messages: validationReasons(error.validation as unknown as ValidationIssue[], context, input, language) };
      return reply.status(400).send(body('validation_failed', text, { fields, ...messages }));
    }
    // The database's trouble, not the request's: the one request is answered and the server goes on.
    if (isConnectionLoss(error)) {
      request.log.warn(`database connection lost during ${request.method} ${request.url.split('?')[0]}: ${error.message}`);
      return reply
        .status(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send(body('unavailable', translateSentence('The database connection was lost or the database is not available right now; try again in a moment.', language)));
    }
    if (isTransientConflict(error)) {
      return reply.status(409).send(body('busy', translateSentence('Another change got in the way; nothing was saved. Try again.', language)));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const known = (FRAMEWORK as Record<string, Record<string, string>>)[error.code]?.[language];
      return reply.status(status).send(body(CODE_BY_STATUS[status] ?? 'bad_request', known ?? translateSentence(error.message, language)));
    }
    request.log.error(error);
    return reply.status(500).send(body('internal', translateSentence('Something went wrong on the server; nothing was changed', language)));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(body('not_found', translateSentence(`No route ${request.method} ${request.url.split('?')[0]}`, requestLanguage(request))));
  });
}
