// Record-event webhooks: subscriptions per sheet, deliveries queued with each write, sent signed and retried.
export { createWebhook, listWebhooks, deleteWebhook, listDeliveries, WEBHOOK_EVENTS, MAX_WEBHOOKS, type WebhookJson, type DeliveryJson, type WebhookEvent } from './subscriptions.js';
export { DELIVERY_TASK, DELIVERY_ATTEMPTS, type DeliveryPayload } from './events.js';
export { deliverRecordWebhook, type DeliveryAttempt } from './deliver.js';
export { signature as webhookSignature, WEBHOOK_TIMEOUT_MS, WebhookRefused, type WebhookPoster, type WebhookRequest, type WebhookResponse } from './delivery.js';
