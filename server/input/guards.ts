import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors.js';
import { JsonInputError, NUL_MESSAGE, parseJsonInput, type JsonPath } from './safe-json.js';

/** A refused input, in the API's error shape: `details.fields` names where it is and what is wrong. */
export function inputError(place: string, problem: string): HttpError {
  return new HttpError(400, 'validation_failed', `${place}: ${problem}`, { fields: { [place]: problem } });
}

/**
 * A refused body. Record values (`{"fields": {…}}`, `{"records": [{"fields": {…}}]}`) are named as the records API
 * names them, by field: `details.fields: {"Amount": …}` (and `details.records: [{index, fields}]` in a batch);
 * anything else by its path in the body (`condition.and.0`, `options.choices.1.name`).
 */
export function bodyError(error: JsonInputError): HttpError {
  const [first, second, third, fourth] = error.segments as JsonPath;
  if (first === 'fields' && typeof second === 'string') {
    return new HttpError(400, 'validation_failed', `Invalid value for ${JSON.stringify(second)}: ${error.problem}`, { fields: { [second]: error.problem } });
  }
  if (first === 'records' && typeof second === 'number' && third === 'fields' && typeof fourth === 'string') {
    const fields = { [fourth]: error.problem };
    return new HttpError(400, 'validation_failed', `Record ${second + 1}: invalid value for ${JSON.stringify(fourth)}: ${error.problem}; nothing was saved`, {
      fields,
      records: [{ index: second, fields }],
    });
  }
  return inputError(error.path || 'body', error.problem);
}

/** JSON that a query parameter carries (`filter`), with the same checks as a body; errors name the parameter. */
export function parseJsonParameter(name: string, text: string): unknown {
  try {
    return parseJsonInput(text);
  } catch (error) {
    if (!(error instanceof JsonInputError)) throw error;
    throw inputError(name, error.path ? `at ${error.path}: ${error.problem}` : error.problem);
  }
}

export const LONG_URL_MESSAGE =
  'The URL and headers are larger than the server reads (16 KB). A long filter fits in a POST body: POST /api/w/:ws/sheets/:sheet/records/query with the listing parameters as JSON, e.g. {"filter": {...}, "sort": "-Amount", "limit": 50}.';

/**
 * What arrives before any route sees it is checked in one place:
 * - JSON bodies through parseJsonInput (nesting, lone surrogates, numbers a double would round);
 * - query strings and path parameters: well-formed Unicode (a JSON query parameter is checked by parseJsonParameter
 *   where it is parsed).
 */
export function registerInputGuards(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text === '') return done(inputError('body', 'is empty: send a JSON value, or no Content-Type: application/json'), undefined);
    try {
      done(null, parseJsonInput(text));
    } catch (error) {
      if (!(error instanceof JsonInputError)) return done(error as Error, undefined);
      done(bodyError(error), undefined);
    }
  });

  app.addHook('preValidation', async (request) => {
    for (const [where, values] of [['query', request.query], ['params', request.params]] as const) {
      if (typeof values !== 'object' || values === null) continue;
      for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
        const texts = Array.isArray(value) ? value : [value];
        const place = where === 'query' ? 'query parameter' : 'path';
        if (texts.some((t) => typeof t === 'string' && !t.isWellFormed())) throw inputError(name, `(${place}) is not well-formed Unicode text (a lone surrogate)`);
        if (texts.some((t) => typeof t === 'string' && t.includes('\u0000'))) throw inputError(name, `(${place}) ${NUL_MESSAGE}`);
      }
    }
  });
}

/**
 * Errors of a connection before Fastify has a request (Node's HTTP parser): a URL or headers over Node's 16 KB answer
 * 431 in the API's error shape, saying what to do instead; the rest as Fastify would.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'request_header_too_large', LONG_URL_MESSAGE]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'timeout', 'The request took too long to arrive']
        : [400, 'bad_request', 'The request is not valid HTTP'];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
