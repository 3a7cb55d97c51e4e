import { createHmac } from 'node:crypto';

/**
 * What every outgoing webhook shares, a workflow's webhook step as a record-event subscription's delivery: the body
 * signed with a secret, a 10 s exchange through the server's guarded poster, and how an answer is judged.
 */

/** The whole exchange, connect to last byte. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface WebhookResponse {
  status: number;
  body: string;
}

/**
 * POSTs to an outside URL, refusing non-public addresses at connect time (server/webhooks/poster.ts): a refusal
 * throws WebhookRefused; a network error or timeout, any other error.
 */
export interface WebhookPoster {
  post(request: WebhookRequest): Promise<WebhookResponse>;
}

/** The address was refused before any byte was sent: no retry can change that. */
export class WebhookRefused extends Error {}

/** HMAC-SHA256 of the exact body sent, with the sender's secret: the receiver checks it came from us. */
export const signature = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** A signed POST of `body` (JSON), with the standard timeout. */
export function postSigned(poster: WebhookPoster, url: string, body: string, secret: string, headers: Record<string, string> = {}): Promise<WebhookResponse> {
  return poster.post({ url, body, headers: { ...headers, 'X-Signature': signature(secret, body) }, timeoutMs: WEBHOOK_TIMEOUT_MS });
}

/** A 2xx answer is success; 4xx (but 408 and 429) is final; anything else is worth another attempt later. */
export function verdict(status: number): 'ok' | 'final' | 'retry' {
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'final';
  return 'retry';
}

/** The first 2000 characters of an answer, as logs keep it. */
export const excerpt = (body: string) => (body.length > 2000 ? `${body.slice(0, 2000)}…` : body);

/** "https://x/hook answered 500: <the start of its body>". */
export const answerMessage = (url: string, res: WebhookResponse) => `${url} answered ${res.status}${res.body ? `: ${excerpt(res.body).slice(0, 300)}` : ''}`;
