import type { FastifyReply } from 'fastify';
import { refusalMessage, type Refusal } from '../auth/attempts.js';

/** 429 with Retry-After (seconds) and the API's error shape; `details.retryAfter` repeats it for clients. */
export function sendRefusal(reply: FastifyReply, refusal: Refusal, what: string): FastifyReply {
  return reply
    .status(429)
    .header('retry-after', String(refusal.retryAfter))
    .send({ error: { code: 'rate_limited', message: refusalMessage(refusal, what), details: { retryAfter: refusal.retryAfter, limit: refusal.reason } } });
}
