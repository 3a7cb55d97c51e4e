import type { StoredStep } from '../model.js';
import { answerMessage, excerpt, postSigned, verdict, WebhookRefused } from '../../webhooks/delivery.js';
import { checkTemplate, invalid } from '../resolve.js';
import { renderText } from './render.js';
import { StepError, type StepContext, type StepHandler } from './types.js';

type Webhook = Extract<StoredStep, { type: 'webhook' }>;

/** Every text in a JSON body is a template. */
function checkJson(value: unknown, path: string): void {
  if (typeof value === 'string') checkTemplate(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => checkJson(v, `${path}.${i}`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) checkJson(v, `${path}.${k}`);
}

function renderJson(value: unknown, ctx: StepContext): unknown {
  if (typeof value === 'string') return renderText(value, ctx.data);
  if (Array.isArray(value)) return value.map((v) => renderJson(v, ctx));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, ctx)]));
  return value;
}

interface Plan {
  url: string;
  body: string;
  /** Sent besides the signature (added when posting, from the run's secret). */
  headers: Record<string, string>;
}

/**
 * A signed POST of JSON. Its attempt is recorded before the request (the run's claim), and every attempt carries the
 * same Idempotency-Key (run and step), so a receiver that honours it acts once even when an answer was lost and the
 * step tried again. A 2xx answer is success; 4xx (but 408 and 429) fails at once; anything else is retried with
 * backoff, then fails.
 */
export const webhookStep: StepHandler<Webhook, Plan> = {
  type: 'webhook',
  effect: true,
  outside: true,
  resolve(input, ctx) {
    checkTemplate(input.url, `${ctx.path}.url`);
    if (!input.url.includes('{{') && !/^https?:\/\//i.test(input.url)) throw invalid(`${ctx.path}.url`, 'must be an http:// or https:// URL');
    if (!input.url.includes('{{') && !URL.canParse(input.url)) throw invalid(`${ctx.path}.url`, 'is not a URL');
    if (input.body !== undefined) checkJson(input.body, `${ctx.path}.body`);
    return { type: 'webhook', url: input.url, ...(input.body !== undefined ? { body: input.body } : {}) };
  },
  display: (stored) => stored,
  async plan(stored, ctx) {
    const url = renderText(stored.url, ctx.data).trim();
    if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) throw new StepError(`"${url}" is not an http or https URL`);
    const payload =
      stored.body !== undefined
        ? renderJson(stored.body, ctx)
        : { workflow: { id: ctx.run.workflowId, name: ctx.run.workflowName }, run: ctx.run.id, record: ctx.data.record, old: ctx.data.old };
    const body = JSON.stringify(payload);
    return { url, body, headers: { 'Idempotency-Key': `${ctx.run.id}:${ctx.path}` } };
  },
  async execute(plan, ctx) {
    if (!ctx.services.webhook) throw new StepError('webhooks are not available on this server');
    const res = await postSigned(ctx.services.webhook, plan.url, plan.body, ctx.run.secret, plan.headers).catch((error: unknown) => {
      // Refused before anything was sent: no retry can change that.
      throw error instanceof WebhookRefused ? new StepError(error.message) : error;
    });
    const judged = verdict(res.status);
    if (judged === 'ok') {
      const answer = excerpt(res.body);
      let parsed: unknown = answer;
      try {
        parsed = JSON.parse(res.body);
      } catch {
        // Not JSON: kept as text.
      }
      return { output: { status: res.status, body: parsed } };
    }
    if (judged === 'final') throw new StepError(answerMessage(plan.url, res));
    throw new Error(answerMessage(plan.url, res));
  },
  preview: (plan) => ({ url: plan.url, body: JSON.parse(plan.body) as unknown }),
};
