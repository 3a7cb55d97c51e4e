import { sql } from 'kysely';
import type { Engine } from '../engine.js';
import { answerMessage, excerpt, postSigned, verdict, WebhookRefused, type WebhookPoster, type WebhookResponse } from './delivery.js';

/** What a delivery's job knows about its own attempt (graphile-worker's). */
export interface DeliveryAttempt {
  attempt: number;
  maxAttempts: number;
}

type Outcome = { status: 'delivered' | 'failed' | 'pending'; response?: WebhookResponse; error?: string };

/**
 * Sends one delivery (its job's attempt), and logs the attempt. A 2xx answer delivers it; a refused address or a 4xx
 * answer (but 408 and 429) fails it at once; anything else (a 5xx, a timeout, a network error) throws, so the queue
 * tries again with backoff, until the last attempt fails it. A delivery whose webhook is gone or turned off, or that
 * is no longer pending (a repeated job), sends nothing. Every attempt carries the delivery's id as Idempotency-Key.
 */
export async function deliverRecordWebhook(engine: Engine, poster: WebhookPoster, deliveryId: string, job: DeliveryAttempt): Promise<void> {
  const delivery = await engine.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('record_webhooks as w', 'w.id', 'd.webhook_id')
    .select(['d.id', 'd.body', 'd.event', 'd.status', 'w.url', 'w.secret', 'w.enabled'])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
  if (!delivery || delivery.status !== 'pending' || !delivery.enabled) return;
  const outcome = await attempt(poster, delivery, job);
  const last = outcome.status === 'pending' ? undefined : new Date();
  const entry = { at: new Date().toISOString(), ...(outcome.response ? { status: outcome.response.status } : {}), ...(outcome.error ? { error: outcome.error } : {}) };
  await engine.db
    .updateTable('webhook_deliveries')
    .set({
      status: outcome.status,
      attempts: sql`attempts + 1`,
      attempt_log: sql`attempt_log || ${JSON.stringify([entry])}::jsonb`,
      response_status: outcome.response?.status ?? null,
      response_body: outcome.response ? excerpt(outcome.response.body) : null,
      error: outcome.error ?? null,
      last_attempt_at: sql`now()`,
      ...(last ? { finished_at: last } : {}),
    })
    .where('id', '=', deliveryId)
    .where('status', '=', 'pending')
    .execute();
  // Thrown after logging: graphile-worker runs the job again after its backoff.
  if (outcome.status === 'pending') throw new Error(`delivery ${deliveryId}: ${outcome.error}`);
}

async function attempt(poster: WebhookPoster, delivery: { id: string; body: string; event: string; url: string; secret: string }, job: DeliveryAttempt): Promise<Outcome> {
  const again = job.attempt < job.maxAttempts;
  let response: WebhookResponse;
  try {
    response = await postSigned(poster, delivery.url, delivery.body, delivery.secret, { 'Idempotency-Key': delivery.id, 'X-Webhook-Event': delivery.event });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof WebhookRefused) return { status: 'failed', error: message };
    return { status: again ? 'pending' : 'failed', error: message };
  }
  switch (verdict(response.status)) {
    case 'ok':
      return { status: 'delivered', response };
    case 'final':
      return { status: 'failed', response, error: answerMessage(delivery.url, response) };
    default:
      return { status: again ? 'pending' : 'failed', response, error: answerMessage(delivery.url, response) };
  }
}
