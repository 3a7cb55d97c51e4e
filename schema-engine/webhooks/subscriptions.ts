import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { audit } from '../access/changes.js';
import { requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import type { SheetWebhook } from '../catalog/model.js';
import { findSheet } from '../catalog/resolve.js';
import type { Db } from '../db.js';
import type { Engine } from '../engine.js';
import { EngineError, fieldErrors, notFound } from '../errors.js';
import { isCatalogId, newId } from '../ids.js';
import { message, type Language, type MessageTable } from '../messages.js';
import { changeCatalog } from '../transaction.js';

/** The record events a subscription may ask for. */
export const WEBHOOK_EVENTS = ['created', 'updated', 'deleted'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A workspace has at most this many record-event webhooks. */
export const MAX_WEBHOOKS = 100;

/** What the API shows of a subscription; `secret` only in the answer that creates it. */
export interface WebhookJson {
  id: string;
  url: string;
  /** Null once the sheet is deleted (the subscription fires again if the sheet is restored). */
  sheet: { id: string; name: string } | null;
  events: WebhookEvent[];
  enabled: boolean;
  createdAt: string;
  secret?: string;
}

const MESSAGES = {
  body: { en: 'must be a JSON object {url, sheet, events}', 'zh-TW': '必須是 JSON 物件 {url, sheet, events}' },
  url: { en: 'must be an http:// or https:// URL', 'zh-TW': '必須是 http:// 或 https:// 網址' },
  urlCredentials: { en: 'must not hold a user name or password (the deliveries are signed instead)', 'zh-TW': '不可包含使用者名稱或密碼（傳送內容已有簽章）' },
  urlLength: { en: 'must be at most 2000 characters', 'zh-TW': '最多 2000 個字元' },
  sheet: { en: 'must be the id or name of a sheet of this workspace', 'zh-TW': '必須是此工作區中工作表的 ID 或名稱' },
  events: { en: 'must be a non-empty list of "created", "updated", "deleted"', 'zh-TW': '必須是非空清單，項目為 "created"、"updated"、"deleted"' },
} satisfies MessageTable;

const bad = (field: string, key: keyof typeof MESSAGES, language: Language) => fieldErrors({ [field]: message(MESSAGES, key, language) });

interface Input {
  url: string;
  sheetId: string;
  events: WebhookEvent[];
}

/** The body checked field by field: a 400 naming the first bad one, in the user's language. */
function parseInput(access: Access, input: unknown, language: Language): Input {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw bad('body', 'body', language);
  const { url, sheet, events } = input as Record<string, unknown>;
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url.trim()) || !URL.canParse(url.trim())) throw bad('url', 'url', language);
  if (url.length > 2000) throw bad('url', 'urlLength', language);
  const parsed = new URL(url.trim());
  if (parsed.username || parsed.password) throw bad('url', 'urlCredentials', language);
  const found = typeof sheet === 'string' ? findSheet(access.full, sheet) : undefined;
  if (!found) throw bad('sheet', 'sheet', language);
  if (!Array.isArray(events) || !events.length || !events.every((e) => (WEBHOOK_EVENTS as readonly unknown[]).includes(e))) throw bad('events', 'events', language);
  // Stored in a fixed order, each once.
  return { url: parsed.href, sheetId: found.id, events: WEBHOOK_EVENTS.filter((e) => events.includes(e)) };
}

const COLUMNS = ['id', 'url', 'sheet_id', 'events', 'enabled', 'created_at'] as const;

interface Row {
  id: string;
  url: string;
  sheet_id: string;
  events: string[];
  enabled: boolean;
  created_at: Date;
}

function webhookJson(access: Access, row: Row): WebhookJson {
  const sheet = access.full.sheets.find((s) => s.id === row.sheet_id);
  return {
    id: row.id,
    url: row.url,
    sheet: sheet ? { id: sheet.id, name: sheet.name } : null,
    events: row.events as WebhookEvent[],
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
  };
}

/** Design permission; the answer carries the signing secret, never shown again. */
export async function createWebhook(engine: Engine, access: Access, input: unknown, language: Language = 'en'): Promise<WebhookJson> {
  requireDesign(access);
  const { url, sheetId, events } = parseInput(access, input, language);
  const id = newId('whk');
  const secret = randomBytes(32).toString('base64url');
  // Writes know from the catalog which webhooks their sheet has (catalog/model.ts SheetDef.webhooks).
  const row = await changeCatalog(engine, access.workspaceId, async (trx) => {
    const { count } = await trx.selectFrom('record_webhooks').select((eb) => eb.fn.countAll<string>().as('count')).where('workspace_id', '=', access.workspaceId).executeTakeFirstOrThrow();
    if (Number(count) >= MAX_WEBHOOKS) throw new EngineError('conflict', `A workspace has at most ${MAX_WEBHOOKS} webhooks`);
    const inserted = await trx
      .insertInto('record_webhooks')
      .values({ id, workspace_id: access.workspaceId, sheet_id: sheetId, url, events, secret, created_by: access.userId })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await audit(trx, access, 'webhook.create', { kind: 'webhook', id, name: url }, undefined, { url, sheet: sheetId, events });
    return inserted;
  });
  return { ...webhookJson(access, row), secret };
}

export async function listWebhooks(engine: Engine, access: Access): Promise<WebhookJson[]> {
  requireDesign(access);
  const rows = await engine.db
    .selectFrom('record_webhooks')
    .select(COLUMNS)
    .where('workspace_id', '=', access.workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => webhookJson(access, row));
}

async function webhookOf(db: Db, access: Access, id: string): Promise<Row> {
  const row = isCatalogId(id)
    ? await db.selectFrom('record_webhooks').select(COLUMNS).where('workspace_id', '=', access.workspaceId).where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw notFound(`Webhook "${id}"`);
  return row;
}

/** Deletes the subscription and its delivery log; deliveries still queued find nothing to send. */
export async function deleteWebhook(engine: Engine, access: Access, id: string): Promise<void> {
  requireDesign(access);
  const row = await webhookOf(engine.db, access, id);
  await changeCatalog(engine, access.workspaceId, async (trx) => {
    const deleted = await trx.deleteFrom('record_webhooks').where('id', '=', row.id).where('workspace_id', '=', access.workspaceId).executeTakeFirst();
    if (!deleted.numDeletedRows) throw notFound(`Webhook "${id}"`);
    await audit(trx, access, 'webhook.delete', { kind: 'webhook', id: row.id, name: row.url }, { url: row.url, sheet: row.sheet_id, events: row.events }, undefined);
  });
}

export interface DeliveryJson {
  id: string;
  event: WebhookEvent;
  recordId: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** One entry per attempt: when, and the answer's status or the error. */
  attemptLog: { at: string; status?: number; error?: string }[];
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  /** What was sent (the exact body is its JSON). */
  payload: unknown;
  createdAt: string;
  lastAttemptAt: string | null;
  finishedAt: string | null;
}

/** The latest deliveries of a subscription, newest first. */
export const DELIVERY_PAGE = 100;

export async function listDeliveries(engine: Engine, access: Access, id: string): Promise<DeliveryJson[]> {
  requireDesign(access);
  const hook = await webhookOf(engine.db, access, id);
  const rows = await engine.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', hook.id).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(DELIVERY_PAGE).execute();
  return rows.map((r) => ({
    id: r.id,
    event: r.event as WebhookEvent,
    recordId: r.record_id,
    status: r.status,
    attempts: r.attempts,
    attemptLog: r.attempt_log as DeliveryJson['attemptLog'],
    responseStatus: r.response_status,
    responseBody: r.response_body,
    error: r.error,
    payload: JSON.parse(r.body) as unknown,
    createdAt: r.created_at.toISOString(),
    lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
  }));
}

/** Per sheet, its enabled webhooks (catalog/model.ts SheetDef.webhooks), read with the workspace's catalog. */
export async function loadSheetWebhooks(db: Db, workspaceId: string): Promise<(sheetId: string) => readonly SheetWebhook[]> {
  const { rows } = await sql<{ id: string; sheet_id: string; events: string[] }>`
    SELECT id, sheet_id, events FROM record_webhooks WHERE workspace_id = ${workspaceId} AND enabled ORDER BY created_at, id`.execute(db);
  const bySheet = new Map<string, SheetWebhook[]>();
  for (const r of rows) bySheet.set(r.sheet_id, [...(bySheet.get(r.sheet_id) ?? []), { id: r.id, events: r.events }]);
  return (sheetId) => bySheet.get(sheetId) ?? [];
}
