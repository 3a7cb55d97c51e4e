import type { FieldType, Sql } from '../field-types/field-type.js';
import type { FieldTypeId } from '../field-types/registry.js';
import { filterOperatorNames } from '../query/operators.js';

/** One field as the engine sees it: catalog row with parsed options and its type module. */
export interface FieldDef {
  readonly id: string;
  readonly sheetId: string;
  readonly name: string;
  readonly type: FieldTypeId;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly impl: FieldType<any>;
  readonly options: unknown;
  readonly required: boolean;
  readonly unique: boolean;
  readonly description: string;
  readonly defaultValue: unknown;
  readonly position: number;
}

export interface SheetDef {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly primaryFieldId: string | null;
  readonly version: number;
  readonly position: number;
  readonly fields: readonly FieldDef[];
  readonly rules: readonly RuleDef[];
  /**
   * In a catalog narrowed for a user (access/narrow.ts): the records of this sheet the user may read, as a condition
   * over a row alias. Every read of the sheet's rows ANDs it: listings, single records, and the linked records that
   * links, lookups and rollups of other sheets show. Absent: every record.
   */
  readonly rowScope?: (alias: string) => Sql;
  /**
   * In a catalog narrowed for a user who may not see some text fields: the text fields the sheet's search index
   * covers, so a search still finds its candidates through the index before they are checked against the fields the
   * user sees (query/search.ts).
   */
  readonly searchIndexFields?: readonly string[];
  /**
   * What its workflows ask of a write, read with the catalog (every workflow change raises its version), so a write
   * does not ask the database each time. Absent (a sheet built by hand): the write asks.
   */
  readonly workflows?: SheetWorkflows;
  /**
   * The sheet's enabled record-event webhooks (webhooks/), read with the catalog (every subscription change raises its
   * version): a write on a sheet without any pays nothing. Absent (a sheet built by hand): the write asks.
   */
  readonly webhooks?: readonly SheetWebhook[];
}

export interface SheetWebhook {
  readonly id: string;
  /** "created", "updated", "deleted". */
  readonly events: readonly string[];
}

export interface SheetWorkflows {
  /** Trigger types of the sheet's enabled workflows: a write adds its event only when one of them may fire. */
  readonly triggers: readonly string[];
  /** A live workflow of the sheet (any version) has an approval locking fields: an update checks its locks. */
  readonly locks: boolean;
}

/**
 * A rule of a sheet (rules/). A "validate" rule is checked on every create and update; a "lock" rule makes fields
 * read-only (and, locking all, the record undeletable) while its condition holds, for everyone but designers.
 */
export interface RuleDef {
  readonly id: string;
  readonly kind: 'validate' | 'lock';
  /** A lock rule's fields (ids); null locks every field. Empty for validation rules. */
  readonly lockedFieldIds: readonly string[] | null;
  /** JsonLogic with field ids in its vars, so renaming a field keeps the rule working. */
  readonly condition: unknown;
  readonly message: string;
  /** The fields the condition reads (ids), in order of first use. */
  readonly fieldIds: readonly string[];
  readonly position: number;
}

/** An immutable snapshot of a workspace's catalog, passed explicitly to every service. */
export interface WorkspaceOverview {
  readonly id: string;
  readonly name: string;
  readonly schema: string;
  /** The workspace's catalog version this snapshot was read at (raised by every schema change). */
  readonly catalogVersion: string;
  readonly sheets: readonly SheetDef[];
}

/** The API shape of a field; its default value reads like a record value (a choice name, a number). */
export function fieldJson(field: FieldDef) {
  const defaultValue = field.defaultValue === undefined ? undefined : field.impl.fromStorage(field.defaultValue, field.options, { workspaceId: '' });
  const computed = field.impl.computed;
  return {
    ...fieldDefinition(field),
    ...(computed?.displayOptions !== undefined ? { options: computed.displayOptions } : {}),
    defaultValue: defaultValue ?? null,
    // What the values are, whether they can be written and how they can be filtered: the field's type module says.
    valueKind: field.impl.apiValueKind ?? field.impl.valueKind,
    readOnly: field.impl.readOnly,
    filterOperators: filterOperatorNames(field),
    // Computed fields say what their values are (a formula of currencies is a currency) and why one cannot be computed.
    ...(computed?.result ? { result: computed.result } : {}),
    ...(computed?.list ? { result: { type: computed.list.leaf.type, options: computed.list.leaf.options, list: true } } : {}),
    ...(computed?.error ? { error: computed.error } : {}),
  };
}

/** A field's definition with its default value as stored (a choice id): what the trash keeps to restore it. */
export function fieldDefinition(field: FieldDef) {
  return {
    id: field.id,
    name: field.name,
    type: field.type,
    options: field.options,
    required: field.required,
    unique: field.unique,
    description: field.description,
    defaultValue: field.defaultValue ?? null,
  };
}

export function sheetJson(sheet: SheetDef) {
  return { id: sheet.id, name: sheet.name, primaryFieldId: sheet.primaryFieldId, fields: sheet.fields.map(fieldJson) };
}
