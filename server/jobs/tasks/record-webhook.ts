import { z } from 'zod';
import { deliverRecordWebhook } from '../../../schema-engine/index.js';
import { webhookPoster } from '../../webhooks/poster.js';
import { defineTask } from '../task.js';

/** One delivery of a record event to a webhook (added in the write's transaction, schema-engine/webhooks/events.ts). */
export const recordWebhook = defineTask({
  payload: z.object({ deliveryId: z.string().min(1) }),
  run: ({ deliveryId }, context, job) => deliverRecordWebhook(context.engine, webhookPoster(context.webhookAllowHosts), deliveryId, job),
});
