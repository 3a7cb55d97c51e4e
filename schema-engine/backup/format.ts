import { z } from 'zod';

/**
 * A workspace backup is a zip of these entries (written by backup/dump.ts, read by backup/restore.ts):
 * - `design.json`: the workspace as a template file (templates/export.ts; keys are the ids of this workspace),
 * - `team.json`: teams and members (by email) with their roles,
 * - `workflows.json`: what the design leaves out of each workflow: its webhook secret and when it was made,
 * - `files.ndjson` and `files/<attachment id>`: every attached file's row and bytes,
 * - `records/<sheet id>.ndjson`, `links/<link field id>.ndjson`, `history/<sheet id>.ndjson`: rows as stored,
 * - `manifest.json` last: the format, its version and the SHA-256 of every other entry.
 */
export const BACKUP_FORMAT = 'crm-workspace-backup';
export const BACKUP_VERSION = 1;

export const DESIGN_ENTRY = 'design.json';
export const TEAM_ENTRY = 'team.json';
export const FILES_ENTRY = 'files.ndjson';
export const WORKFLOWS_ENTRY = 'workflows.json';
export const MANIFEST_ENTRY = 'manifest.json';
export const recordsEntry = (sheetId: string) => `records/${sheetId}.ndjson`;
export const historyEntry = (sheetId: string) => `history/${sheetId}.ndjson`;
export const linksEntry = (fieldId: string) => `links/${fieldId}.ndjson`;
export const fileEntry = (attachmentId: string) => `files/${attachmentId}`;

export const manifestSchema = z.object({
  format: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  workspace: z.object({ name: z.string(), timeZone: z.string(), locale: z.string() }),
  /** The sheets whose rows the backup holds (the design's sheet keys): their fields in order, and the link pairs by their creating field. */
  sheets: z.array(z.object({ id: z.string(), fields: z.array(z.string()), links: z.array(z.string()) })),
  checksums: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});
export type BackupManifest = z.output<typeof manifestSchema>;

export const teamSchema = z.object({
  teams: z.array(z.object({ id: z.string(), name: z.string(), managerEmail: z.string().nullable() })),
  members: z.array(
    z.object({
      email: z.string(),
      name: z.string(),
      /** A built-in role by its key, or a custom one by its id (a key of the design's roles). */
      role: z.object({ builtIn: z.string().nullable(), id: z.string(), name: z.string() }),
      teams: z.array(z.string()),
      active: z.boolean(),
    }),
  ),
});
export type BackupTeam = z.output<typeof teamSchema>;

/** A record as stored: system columns, users by email, values by field id as their columns hold them. */
export const recordLineSchema = z.object({
  id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  created_by: z.string().nullable(),
  updated_by: z.string().nullable(),
  deleted_at: z.string().nullable(),
  values: z.record(z.string(), z.unknown()),
});

export const historyLineSchema = z.object({
  recordId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]),
  at: z.string(),
  action: z.enum(['create', 'update', 'delete', 'restore']),
  changes: z.record(z.string(), z.object({ name: z.string(), from: z.unknown().optional(), to: z.unknown() }).passthrough()),
  byEmail: z.string().nullable(),
  byName: z.string().nullable(),
});

export const linkLineSchema = z.tuple([z.union([z.number(), z.string()]), z.union([z.number(), z.string()])]);

export const fileLineSchema = z.object({ id: z.string(), name: z.string(), size: z.number().int().nonnegative(), mimeType: z.string(), createdAt: z.string(), createdBy: z.string().nullable() });

/** Per workflow (by the design's key), what the template leaves out: receivers of its webhooks check the same secret. */
export const workflowsSchema = z.array(z.object({ id: z.string(), secret: z.string().min(1), createdAt: z.string() }));
