import { WebhookRefused, type WebhookPoster } from '../../schema-engine/index.js';
import { RefusedAddressError, safePost, type AllowHosts } from './safe-post.js';

/** The engine's webhook poster (workflow steps and record-event deliveries): safePost, its refusals as WebhookRefused. */
export function webhookPoster(allowHosts: AllowHosts = new Set()): WebhookPoster {
  return {
    post: (request) =>
      safePost(request, allowHosts).catch((error: unknown) => {
        throw error instanceof RefusedAddressError ? new WebhookRefused(error.message) : error;
      }),
  };
}
