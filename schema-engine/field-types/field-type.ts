import type { RawBuilder, Transaction } from 'kysely';
import type { z } from 'zod';
import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Database } from '../db.js';
import type { FormulaType } from '../formulas/compile.js';

export type Sql = RawBuilder<unknown>;

/** What a value is, independent of how the user sees it: filter operators are keyed by it. */
export type ValueKind =
  | 'text'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'choice'
  | 'choices'
  | 'user'
  | 'users'
  | 'attachments'
  | 'autonumber';

/** What the API says a field's values are (`valueKind` of a field): a value kind, or records for a link. */
export type ApiValueKind = ValueKind | 'link';

/** PostgreSQL column types the engine creates. */
export type SqlType = 'text' | 'numeric' | 'date' | 'timestamptz' | 'boolean' | 'text[]' | 'jsonb' | 'smallint' | 'integer' | 'bigint';

/** System columns every sheet table has; some field types show them instead of storing a column. */
export type SystemColumn = 'created_at' | 'updated_at' | 'created_by' | 'updated_by';

export type JsonSchema = Record<string, unknown>;

export interface UserRef {
  id: string;
  name: string;
  email: string;
}

export interface AttachmentRef {
  id: string;
  name: string;
  size: number;
  mimeType: string;
}

/** Things a write needs from outside the value, loaded once per request for all records. */
export interface WriteContext {
  user(idOrEmail: string): UserRef | undefined;
  attachment(id: string): AttachmentRef | undefined;
  /** The member writing (null for the engine's own writes): a "current user" default takes them. */
  actorId?: string | null;
}

export interface ReadContext {
  workspaceId: string;
}

/** What an export needs besides a value: date-times are written as the workspace's clocks read them. */
export interface ExportContext {
  /** IANA time zone of the workspace (its settings). */
  timeZone: string;
}

/**
 * One spreadsheet cell of an export (export/ writes it as CSV text or a typed XLSX cell). `text` is the CSV cell;
 * `format` an Excel number format (currency symbol and decimals, a date pattern). Only `text` cells hold text a user
 * wrote, so only they are escaped against formula injection.
 */
export type ExportCell =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'number'; readonly value: number; readonly format?: string; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly text: string }
  /** `value`: the wall-clock time as if it were UTC (spreadsheets have no time zones). */
  | { readonly kind: 'date'; readonly value: Date; readonly format: string; readonly text: string };

/** A value that is well-formed JSON but still wrong for the field (an unknown choice, a user that does not exist). */
export class FieldValueError extends Error {
  /** `zh`: the message in Traditional Chinese, where it was worded. */
  constructor(
    message: string,
    readonly zh?: string,
  ) {
    super(message);
  }
}

export interface References {
  users?: string[];
  attachments?: string[];
}

/** Values already selected for a row, by field id: a formula reads them rather than computing them again. */
export type KnownValues = ReadonlyMap<string, Sql>;

/**
 * A value that is one aggregate over the live records linked through one link field. A listing computes all such
 * values of a link in one lateral join per row (records/columns.ts) instead of a subquery each.
 */
export interface LinkAggregate {
  /** The link field: the values through one link share its join. */
  readonly linkId: string;
  /** `FROM` the junction (`${alias}j`) and the linked records (`${alias}c`) `WHERE` linked from row `alias`. */
  rows(alias: string): Sql;
  /** The aggregate over those rows. */
  aggregate(alias: string): Sql;
  /** The field's value from what the aggregate gives (over no rows too). */
  value(aggregated: Sql): Sql;
}

/**
 * How a computed field (link, lookup, rollup, formula) reads in one catalog snapshot: SQL over other fields,
 * resolved when the catalog is loaded (catalog/computed). `alias` names the row of the field's own sheet.
 */
export interface ComputedValue {
  /** The value as selected for a record; `known`: values of that row's other fields already selected. */
  select(alias: string, known?: KnownValues): Sql;
  /** Set when the value is an aggregate over the linked records (then `select` is that aggregate's subquery). */
  readonly viaLink?: LinkAggregate;
  /**
   * List values (link, lookup): a subquery of the elements as rows `(v, o)`, `v` a value of `leaf` and `o` a
   * bigint[] sort path; filters test any element and sorts use the first. Scalar values (rollup, formula) have none:
   * `select` is their value.
   */
  readonly list?: { elements(alias: string): Sql; readonly leaf: FieldDef };
  /** Fields read to compute the value (direct references), so deleting one can name its dependents. */
  readonly dependsOn: readonly string[];
  /** Why the field cannot be computed (a referenced field was deleted, a cycle); it then reads as empty. */
  readonly error?: string;
  /** `error` in Traditional Chinese, where it was worded. */
  readonly errorZh?: string;
  /** Result type as the API shows it (formula and rollup results take the type of what they compute). */
  readonly result?: { type: string; options: unknown };
  /** Options as the API shows them when they differ from the stored ones (a formula written with current names). */
  readonly displayOptions?: unknown;
}

/** What options are bound against: the workspace and the sheet the field is (or will be) in. */
export interface OptionScope {
  ws: WorkspaceOverview;
  sheet: SheetDef;
  /** The field's own id (new or existing). */
  fieldId: string;
}

/** Resolution of computed fields: each reference resolved to its final FieldDef (or an error for a cycle). */
export interface Resolver {
  ws: WorkspaceOverview;
  /** The field as resolved, or why it cannot be: in the trash, or (with its name) part of a reference cycle. */
  field(sheetId: string, fieldId: string): FieldDef | { error: string; name?: string };
  sheet(sheetId: string): SheetDef | undefined;
}

export interface FieldType<O = unknown> {
  readonly id: string;
  readonly valueKind: ValueKind;
  /** What the API calls the values when it is not `valueKind` (a link's values are linked records). */
  readonly apiValueKind?: ApiValueKind;
  /**
   * What a formula reads a value as (text, a number with decimals, a currency, a date...); undefined when a formula
   * reads the value as its text (choices, users, files). Computed types answer undefined: a formula reads their result.
   */
  formulaType(options: O): FormulaType | undefined;
  /** Validates and completes options (defaults, choice ids). `previous` is set when options of an existing field change. */
  parseOptions(input: unknown, previous?: O): O;
  /** Column type, or null when the value comes from a system column (`system`). */
  storage(options: O): SqlType | null;
  readonly system?: SystemColumn;
  /**
   * A field with no value at all (a button): no column, nothing in records, no filter operators, no sorting, skipped
   * by exports, and formulas cannot refer to it.
   */
  readonly valueless?: boolean;
  /** The column holds user ids, one or a list (user, multi_user): a backup writes them as emails, a restore maps them back. */
  readonly userIds?: 'one' | 'many';
  /** Computed and system fields refuse writes. */
  readonly readOnly: boolean;
  /** Included in search, with a trigram index. */
  readonly searchable: boolean;
  /** Sentence for a value that fails `inputSchema` where ajv's own words would be cryptic. */
  readonly invalidMessage?: string | undefined;
  /** Tidies a written value before it is validated (trims an email address). */
  normalize?(value: unknown): unknown;
  /** JSON Schema of a non-empty written value (ajv). */
  inputSchema(options: O): JsonSchema;
  /**
   * JSON Schema (2020-12) of a non-empty value as records answer it (`fromStorage`, cellFormat json): the workspace's
   * OpenAPI document (openapi/) describes each field with it, and tests check real answers against it.
   */
  outputSchema(options: O): JsonSchema;
  /** Ids a written value refers to, loaded into the WriteContext before `toStorage`. */
  references?(value: unknown): References;
  /** A valid, non-empty input value → the JSON value stored in the column. Throws FieldValueError. */
  toStorage(value: unknown, options: O, ctx: WriteContext): unknown;
  /** A new record's stored value when none is given and the field has no `defaultValue` (the user who creates it). */
  createDefault?(options: O, ctx: WriteContext): unknown;
  /** The column is filled from a per-field sequence (autonumber). */
  readonly sequence?: boolean;
  /**
   * `fromStorage` of what `toStorage` answered (or of a default value) is what reading the stored row back answers:
   * PostgreSQL keeps such a value as it was sent, so a new record's values need not come back from it (insertRows).
   */
  readonly readsAsWritten?: boolean;
  /** Column value (as pg returns it) → API value; undefined when empty. */
  fromStorage(raw: unknown, options: O, ctx: ReadContext): unknown;
  /** API value → display text in a locale. */
  format(value: unknown, options: O, locale: string): string;
  /** API value (undefined when empty) → its spreadsheet cell in an export, or undefined for an empty cell. */
  exportCell(value: unknown, options: O, ctx: ExportContext): ExportCell | undefined;
  /** Select expression when it is not the bare column (a user becomes `{id, name, email}`). */
  selectSql?(column: Sql, options: O): Sql;
  /** Sort key when it is not the bare column (choices sort in their defined order). */
  sortSql?(column: Sql, options: O): { expr: Sql; type: SqlType };
  /** A stored field that search matches by what its ids stand for (people by name or email); `pattern`: ILIKE. */
  searchSql?(column: Sql, pattern: string, options: O): Sql;
  /** Canonical text of a stored value, the common ground of type changes. */
  toTextSql(column: Sql, options: O): Sql;
  /** The new value from canonical text, or NULL when it does not convert (`ctx`: the workspace the field lives in). */
  fromTextSql(text: Sql, options: O, ctx: ReadContext): Sql;
  /** Computed types: options naming other fields or sheets (by name or id) bound to ids against the catalog. */
  bindOptions?(options: O, scope: OptionScope): O;
  /** Options naming things outside the catalog (a button's workflow) checked in the change's transaction; throws FieldValueError. */
  verifyOptions?(options: O, trx: Transaction<Database>, scope: OptionScope): Promise<void>;
  /** Computed types: this field as it reads in a catalog, with `computed` set. */
  resolve?(field: FieldDef, resolver: Resolver): FieldType<O>;
  /** Set on resolved computed fields only. */
  readonly computed?: ComputedValue;
}

/** Helper so each type module gets full inference on its options. */
export function defineFieldType<O>(type: FieldType<O>): FieldType<O> {
  return type;
}

/** Options validated by a zod schema; errors become a readable sentence. */
export function zodOptions<S extends z.ZodType>(schema: S) {
  return (input: unknown): z.output<S> => {
    const result = schema.safeParse(input ?? {});
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const where = issue.path.length ? `options.${issue.path.join('.')}` : 'options';
      throw new FieldValueError(`${where}: ${issue.message}`);
    }
    return result.data;
  };
}
