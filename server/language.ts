import type { FastifyRequest } from 'fastify';
import { messageLanguage, type Language } from '../schema-engine/index.js';

/**
 * The language of the answers (and mails) a request makes: the one it asks for (the client sends its UI language as
 * Accept-Language), Traditional Chinese for any `zh`, English otherwise. Neither users nor workspaces store a language.
 */
export function requestLanguage(request: FastifyRequest): Language {
  const header = request.headers['accept-language'];
  return messageLanguage(Array.isArray(header) ? header[0] : header);
}
