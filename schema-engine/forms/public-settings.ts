import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import { findField } from '../catalog/resolve.js';
import type { LinkOptions } from '../computed/sql.js';
import type { Db } from '../db.js';
import { badRequest } from '../errors.js';
import { sheetTable } from '../records/columns.js';
import { isRecordId } from '../records/fetch.js';

/** What an admin sets; the password arrives in clear and is stored hashed by the caller. */
export const publicInputSchema = z
  .object({
    enabled: z.boolean(),
    password: z.string().min(4, 'must be at least 4 characters').max(200).nullable().optional(),
    closesAt: z.iso.datetime({ offset: true }).nullable().optional(),
    thankYou: z.string().max(5000).nullable().optional(),
    redirectUrl: z
      .url()
      .max(2000)
      .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) address')
      .nullable()
      .optional(),
    /** Link fields the public may fill, each with the only records it may pick (link pickers are off otherwise). */
    allowedLinks: z.record(z.string().max(255), z.array(z.string().max(20)).max(1000)).optional(),
  })
  .strict();
export type PublicInput = z.output<typeof publicInputSchema>;

const storedSchema = z.object({
  enabled: z.boolean(),
  passwordHash: z.string().nullable(),
  closesAt: z.string().nullable(),
  thankYou: z.string().nullable(),
  redirectUrl: z.string().nullable(),
  allowedLinks: z.record(z.string(), z.array(z.string())),
});
export type PublicSettings = z.output<typeof storedSchema>;

export interface PublicJson extends Omit<PublicSettings, 'passwordHash'> {
  token: string;
  hasPassword: boolean;
}

export function storedSettings(value: unknown): PublicSettings | null {
  const parsed = storedSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function publicJson(token: string | null, value: unknown): PublicJson | null {
  const settings = storedSettings(value);
  if (!token || !settings) return null;
  const { passwordHash, ...rest } = settings;
  return { ...rest, token, hasPassword: passwordHash !== null };
}

/** An unguessable address: 144 random bits. */
export const newPublicToken = () => randomBytes(18).toString('base64url');

const fail = (key: string, message: string) => badRequest(`${key}: ${message}`, { fields: { [key]: message } });

/**
 * New settings over the old: an absent key keeps its value, null clears it. Allowed links are bound to link
 * fields by id and each record must exist in the linked sheet.
 */
export async function mergeSettings(db: Db, ws: WorkspaceOverview, sheet: SheetDef, old: PublicSettings | null, input: PublicInput, passwordHash: string | null | undefined): Promise<PublicSettings> {
  const keep = <K extends keyof PublicSettings>(key: K, value: PublicSettings[K] | undefined, empty: PublicSettings[K]) => (value === undefined ? (old?.[key] ?? empty) : value);
  return {
    enabled: input.enabled,
    passwordHash: keep('passwordHash', passwordHash, null),
    closesAt: keep('closesAt', input.closesAt === undefined ? undefined : input.closesAt && new Date(input.closesAt).toISOString(), null),
    thankYou: keep('thankYou', input.thankYou, null),
    redirectUrl: keep('redirectUrl', input.redirectUrl, null),
    allowedLinks: input.allowedLinks === undefined ? (old?.allowedLinks ?? {}) : await bindAllowedLinks(db, ws, sheet, input.allowedLinks),
  };
}

async function bindAllowedLinks(db: Db, ws: WorkspaceOverview, sheet: SheetDef, input: Record<string, string[]>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [ref, ids] of Object.entries(input)) {
    const key = `allowedLinks.${ref}`;
    const field = findField(sheet, ref);
    if (!field || field.type !== 'link') throw fail(key, `"${sheet.name}" has no link field "${ref}"`);
    const bad = ids.find((id) => !isRecordId(id));
    if (bad !== undefined) throw fail(key, `"${bad}" is not a record id`);
    const target = ws.sheets.find((s) => s.id === (field.options as LinkOptions).sheet)!;
    const unique = [...new Set(ids)];
    if (unique.length) {
      const found = await sql<{ id: string }>`SELECT t.id::text AS id FROM ${sheetTable(ws, target)} AS t WHERE t.id = ANY(${unique}::bigint[]) AND t.deleted_at IS NULL`.execute(db);
      const missing = unique.find((id) => !found.rows.some((r) => r.id === id));
      if (missing) throw fail(key, `"${target.name}" has no record ${missing}`);
    }
    out[field.id] = unique;
  }
  return out;
}
