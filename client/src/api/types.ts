import type { ApiValueKind } from '../../../schema-engine/field-types/field-type.js';
import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import type { AuditEntry, InvitationJson } from '../../../schema-engine/index.js';
/** The API's shapes, as ../shared/API.md and README describe them. */
export interface User {
  id: string;
  name: string;
  email: string;
}

/** Which records an operation reaches (API.md, "Members, teams and roles"). */
export type Scope = 'none' | 'own' | 'team' | 'all';
export type FieldGrant = 'hidden' | 'read_only';

/** What a role may do with one sheet's records. */
export interface SheetAccess {
  read: Scope;
  create: boolean;
  update: Scope;
  delete: Scope;
  where?: unknown;
  fields?: Record<string, FieldGrant>;
}

/** The caller's effective access in a workspace (GET /api/me per workspace, GET /api/w/:ws/access). */
export interface EffectiveAccess {
  /** The role's name (a built-in role's name is its key: owner, admin, editor, viewer). */
  role: string;
  roleId: string;
  design: boolean;
  members: boolean;
  /** The sheets the caller may use, by id. */
  sheets: Record<string, SheetAccess>;
}

export interface Me {
  user: User;
  workspaces: ({ id: string; name: string } & EffectiveAccess)[];
}

export interface Choice {
  id: string;
  name: string;
  color: string;
}

export interface Field {
  id: string;
  name: string;
  type: FieldTypeId;
  options: Record<string, unknown>;
  required: boolean;
  unique: boolean;
  description: string;
  defaultValue: unknown;
  result?: { type: FieldTypeId; options: Record<string, unknown>; list?: boolean };
  /** What the values are (a computed field's result's kind), whether they can be written and how they filter. */
  valueKind: ApiValueKind;
  readOnly: boolean;
  filterOperators: string[];
  error?: string;
  /** Client-side only: read-only for the caller's role (see api/access.ts). */
  locked?: boolean;
}

export interface Sheet {
  id: string;
  name: string;
  primaryFieldId: string | null;
  fields: Field[];
  /** Client-side only: the caller's role may update none of its records (see api/access.ts). */
  noUpdate?: boolean;
}

export interface RecordJson {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  fields: Record<string, unknown>;
  /** On a single record's GET: whether the caller's role may change and delete this one (own/team scopes differ by record). */
  can?: { update: boolean; delete: boolean };
}

export interface Page {
  records: RecordJson[];
  nextCursor: string | null;
  total?: number;
}

export interface ViewConfig {
  filter?: unknown;
  sort?: string;
  search?: string;
  hiddenFields?: string[];
  fieldOrder?: string[];
  fieldWidths?: Record<string, number>;
  rowHeight?: 'short' | 'medium' | 'tall' | 'extra';
  groupBy?: string;
  cardFields?: string[];
  sumField?: string;
  /** The grid's summary row: per field id, what it shows under the column (grid/grid-summary.ts). */
  summaries?: Record<string, 'none' | 'sum' | 'avg' | 'count' | 'min' | 'max' | 'filled' | 'empty'>;
}

export interface View {
  id: string;
  name: string;
  type: 'grid' | 'kanban';
  config: ViewConfig;
  version: number;
}

export interface HistoryItem {
  at: string;
  by: User | null;
  action: 'create' | 'update' | 'delete' | 'restore';
  changes: Record<string, { from: unknown; to: unknown }>;
  /** Made by a workflow's run (acting with `by`'s access). */
  via?: { workflowId: string; runId: string; name: string };
}

export interface LinkRef {
  id: string;
  title: string;
}

export interface Member extends User {
  role: string;
  roleId: string;
  teams: string[];
  active: boolean;
}

export interface Role {
  id: string;
  name: string;
  builtIn: boolean;
  design: boolean;
  members: boolean;
  sheets: Record<string, SheetAccess>;
  otherSheets: SheetAccess;
}

export interface Team {
  id: string;
  name: string;
  manager: string | null;
  members: string[];
}

/** `url`, the one-time link, only in the answer to POST. */
export type Invitation = InvitationJson & { url?: string };

export type { AuditEntry };
