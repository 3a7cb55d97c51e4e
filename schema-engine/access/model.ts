import { z } from 'zod';
import type { Sql } from '../field-types/field-type.js';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { BuiltInRole } from '../db.js';

/** Which records an operation reaches: none, the user's own, their teams', or all. */
export const SCOPES = ['none', 'own', 'team', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

export const FIELD_GRANTS = ['hidden', 'read_only'] as const;
export type FieldGrant = (typeof FIELD_GRANTS)[number];

const scope = z.enum(SCOPES);

/** What a role may do with one sheet's records (API.md, "Members, teams and roles"). */
export const sheetAccessSchema = z
  .object({
    read: scope,
    create: z.boolean(),
    update: scope,
    delete: scope,
    /** JsonLogic over the record narrowing every scope; `{"var": "$user"}` and `{"var": "$teams"}` are the user's. */
    where: z.unknown().optional(),
    fields: z.record(z.string().max(100), z.enum(FIELD_GRANTS)).optional(),
  })
  .strict();

export type SheetAccess = z.output<typeof sheetAccessSchema>;

/** A role as the engine holds it: what it grants, by sheet id, and what it grants on sheets it does not name. */
export interface RoleDef {
  readonly id: string;
  readonly name: string;
  readonly builtIn: BuiltInRole | null;
  /** Sheets, fields, forms, rules, views' design, documents, conversions, templates, trash. */
  readonly design: boolean;
  /** Members, invitations, teams, roles and the audit log. */
  readonly members: boolean;
  readonly sheets: Readonly<Record<string, SheetAccess>>;
  readonly otherSheets: SheetAccess;
  readonly version: number;
}

/** The id prefix of a previewed role ("preview as this role"): such an Access reads and never acts. */
export const PREVIEW_ROLE_PREFIX = 'preview:';

/** The record operations a sheet grant covers. */
export type RecordOperation = 'read' | 'update' | 'delete';

/**
 * One sheet as the acting user may use it: its whole definition (writes are parsed and checked against it), the one
 * they see (hidden fields removed, rows scoped; undefined when they may not read the sheet at all), and per operation
 * the SQL condition over a row alias selecting the records it reaches.
 */
export interface SheetGrant {
  readonly full: SheetDef;
  readonly sheet: SheetDef | undefined;
  readonly access: SheetAccess;
  readonly create: boolean;
  /** Undefined when the scope is none; null when it reaches every record. */
  rows(operation: RecordOperation): ((alias: string) => Sql) | null | undefined;
  /** Field ids the role may not write: read-only ones and hidden ones. */
  readonly readOnly: ReadonlySet<string>;
  /** Field ids hidden from the role (not in `sheet`; a write naming one is a 403). */
  readonly hidden: ReadonlySet<string>;
}

/**
 * Who acts and what they may do in one workspace, compiled once per request: every engine entry point takes it, and
 * every read and write goes through it. `ws` is the catalog narrowed to what the user may see (hidden fields are not
 * in it, computed fields reading them read nothing, and each sheet's rows are scoped, links and lookups included).
 */
export interface Access {
  readonly userId: string;
  readonly workspaceId: string;
  readonly role: RoleDef;
  /** Team ids of the user. */
  readonly teams: readonly string[];
  /** Users sharing a team with the user, the user included: "the team's records" are theirs. */
  readonly teammates: readonly string[];
  /** The whole catalog, for design work and the engine's own checks; never shown to a user without design. */
  readonly full: WorkspaceOverview;
  /** The catalog as this user sees it. */
  readonly ws: WorkspaceOverview;
  /** The grant of a sheet of the workspace by id (undefined: no such sheet). */
  grant(sheetId: string): SheetGrant | undefined;
}
