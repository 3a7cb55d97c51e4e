import { sql, type Transaction } from 'kysely';
import type { SheetDef, SheetWebhook } from '../catalog/model.js';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import { newId } from '../ids.js';
import type { RecordJson } from '../records/read.js';
import type { RecordEvent, WrittenRecord } from '../workflows/events.js';
import type { WebhookEvent } from './subscriptions.js';

/** The job that sends one delivery (server/jobs/tasks/record-webhook.ts). */
export const DELIVERY_TASK = 'record_webhook';

/** Attempts of a delivery: graphile-worker waits e^n s before attempt n + 1, so the last is about half an hour after the first. */
export const DELIVERY_ATTEMPTS = 8;

/** A restored record is back: its subscribers hear it created again (with `restored: true`). */
const EVENT_OF: Record<RecordEvent['action'], WebhookEvent> = { create: 'created', update: 'updated', delete: 'deleted', restore: 'created' };

/** The sheet's enabled webhooks: from the catalog the write was built from, else one indexed lookup. */
async function hooksOf(trx: Transaction<Database>, sheet: SheetDef): Promise<readonly SheetWebhook[]> {
  if (sheet.webhooks) return sheet.webhooks;
  return trx.selectFrom('record_webhooks').select(['id', 'events']).where('workspace_id', '=', sheet.workspaceId).where('sheet_id', '=', sheet.id).where('enabled', '=', true).execute();
}

/** What a subscriber receives, as JSON text: the exact body every attempt sends and signs. */
export interface DeliveryPayload {
  event: WebhookEvent;
  webhookId: string;
  deliveryId: string;
  /** When the write was made. */
  at: string;
  sheet: { id: string; name: string };
  /** The record as the API returns it to someone who sees every field. */
  record: RecordJson;
  /** Before an update. */
  old?: RecordJson;
  restored?: true;
}

/**
 * Adds a delivery (logged as pending) and its job for every subscription of the sheet that asked for this kind of
 * event, one per record, in the write's transaction: a write that rolls back delivers nothing, one that commits is
 * never missed. A sheet without subscriptions costs nothing (the catalog knows). A subscription deleted meanwhile gets
 * nothing: its row is locked (KEY SHARE) so the delete waits for this write, or the write skips it.
 */
export async function queueRecordWebhooks(engine: Engine, trx: Transaction<Database>, sheet: SheetDef, action: RecordEvent['action'], written: WrittenRecord[]): Promise<void> {
  if (!engine.jobs || !written.length) return;
  const event = EVENT_OF[action];
  const hooks = (await hooksOf(trx, sheet)).filter((h) => h.events.includes(event));
  if (!hooks.length) return;
  const at = new Date().toISOString();
  const rows = hooks.flatMap((hook) =>
    written.map(({ after, before }) => {
      const deliveryId = newId('dlv');
      const payload: DeliveryPayload = {
        event,
        webhookId: hook.id,
        deliveryId,
        at,
        sheet: { id: sheet.id, name: sheet.name },
        record: after,
        ...(action === 'update' && before ? { old: before } : {}),
        ...(action === 'restore' ? { restored: true as const } : {}),
      };
      return { id: deliveryId, webhook_id: hook.id, event, record_id: after.id, body: JSON.stringify(payload) };
    }),
  );
  const jobs = engine.jobs.many(
    DELIVERY_TASK,
    rows.map((r) => ({ deliveryId: r.id })),
    { maxAttempts: DELIVERY_ATTEMPTS },
  );
  await sql`
    WITH deliveries AS (
      INSERT INTO webhook_deliveries (id, webhook_id, event, record_id, body)
      SELECT x.id, x.webhook_id, x.event, x.record_id, x.body
      FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(id text, webhook_id text, event text, record_id text, body text)
      JOIN record_webhooks w ON w.id = x.webhook_id
      FOR KEY SHARE OF w
    )
    ${jobs}`.execute(trx);
}
