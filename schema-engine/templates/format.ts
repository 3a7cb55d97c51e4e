import { z } from 'zod';
import { FIELD_GRANTS, SCOPES } from '../access/model.js';
import { RELATIONSHIPS } from '../computed/sql.js';
import { ROW_HEIGHTS, VIEW_TYPES } from '../views/views.js';
import { LANGUAGES, type Language } from './text.js';

export { LANGUAGES, type Language };
/** The browser imports only types from here (and the pure ./text.ts). */

/**
 * A CRM template: declarative JSON. Everything a user sees has a language; everything inside refers by KEY (sheet,
 * field, choice and record keys), never by a localized name, so one file installs in English or Chinese.
 */
export const keySchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'must be 1-63 letters, digits, "-" or "_"');
export const textSchema = z.union([z.string().min(1).max(10_000), z.object({ en: z.string().min(1).max(10_000), 'zh-TW': z.string().min(1).max(10_000) }).strict()]);

export const choiceSchema = z.object({ key: keySchema, name: textSchema, color: z.string().max(30).optional() }).strict();
export const selectOptionsSchema = z.object({ choices: z.array(choiceSchema).max(1000) }).strict();
export const linkOptionsSchema = z
  .object({ sheet: keySchema, relationship: z.enum(RELATIONSHIPS).default('many_to_many'), inverseKey: keySchema.optional(), inverseName: textSchema.optional() })
  .strict();
export const lookupOptionsSchema = z.object({ link: keySchema, field: keySchema }).strict();
export const rollupOptionsSchema = z.object({ link: keySchema, field: keySchema, fn: z.string().min(1).max(20) }).strict(); // the engine checks the function
/** `{field_key}` names a field, `{#choice_key}` a choice of a select the formula reads (becomes its quoted name). */
export const formulaOptionsSchema = z.object({ expression: z.string().min(1).max(10_000) }).strict();

export const templateFieldSchema = z
  .object({
    key: keySchema,
    name: textSchema,
    type: z.string().min(1).max(40),
    options: z.record(z.string(), z.unknown()).optional(),
    required: z.boolean().optional(),
    unique: z.boolean().optional(),
    description: textSchema.optional(),
    /** A record value as in `records` (a select's choice key). */
    defaultValue: z.unknown().optional(),
    primary: z.boolean().optional(),
  })
  .strict();

/** JsonLogic with `{"var": "<field key>"}`; `{"choice": "<choice key>"}` stands for that choice's name. */
const logicSchema = z.custom<unknown>((v) => v !== undefined, 'is required');
const fieldKeys = z.array(keySchema).max(500);

/** A validation rule, or a lock rule (`kind: "lock"`) locking `lockedFields` (keys; omitted or null: all). */
export const templateRuleSchema = z
  .object({ kind: z.enum(['validate', 'lock']).optional(), condition: logicSchema, message: textSchema, lockedFields: fieldKeys.nullable().optional() })
  .strict();
export const templateViewSchema = z
  .object({
    name: textSchema,
    type: z.enum(VIEW_TYPES).default('grid'),
    config: z
      .object({
        filter: logicSchema.optional(),
        /** Field keys, `-` in front for descending: "-amount,name". */
        sort: z.string().max(4000).optional(),
        search: z.string().max(200).optional(),
        hiddenFields: fieldKeys.optional(),
        fieldOrder: fieldKeys.optional(),
        fieldWidths: z.record(keySchema, z.number().int().min(40).max(2000)).optional(),
        rowHeight: z.enum(ROW_HEIGHTS).optional(),
        groupBy: keySchema.optional(),
        cardFields: fieldKeys.optional(),
        sumField: keySchema.optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
/** A designed form (docs/api.md "Designed forms") whose titles, labels and texts are Text and whose `field`s are keys. */
export const templateFormSchema = z.object({ name: textSchema, layout: z.record(z.string(), z.unknown()) }).strict();
/** A document template (Handlebars) of the sheet; without `template`, the engine's starter for the sheet (in its language). */
export const templateDocumentSchema = z.object({ name: textSchema, template: textSchema.optional() }).strict();
/**
 * A conversion of the sheet's records (docs/api.md "Conversions"): sheets and fields by key; `requires` and `mark` values
 * are choice keys when their field is a select, else the value itself.
 */
const conversionValueSchema = z.object({ field: keySchema, value: z.string().min(1).max(255) }).strict();
export const templateConversionSchema = z
  .object({
    name: textSchema,
    requires: conversionValueSchema.optional(),
    mark: conversionValueSchema.optional(),
    targets: z
      .array(
        z
          .object({
            key: keySchema,
            sheet: keySchema,
            /** Target field key ← source field key. */
            fields: z.record(keySchema, keySchema),
            match: keySchema.optional(),
            /** Target link field key → an earlier target's key. */
            links: z.record(keySchema, keySchema).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(5),
    /** Source link field key → a target's key. */
    backLinks: z.record(keySchema, keySchema).optional(),
  })
  .strict();
/** A sample record: values by field key (select: choice key, link: record key(s), date: also `{"days": n}` from today). */
export const templateRecordSchema = z.object({ key: keySchema.optional(), fields: z.record(keySchema, z.unknown()) }).strict();

export const templateSheetSchema = z
  .object({
    key: keySchema,
    name: textSchema,
    fields: z.array(templateFieldSchema).min(1).max(500),
    rules: z.array(templateRuleSchema).max(100).optional(),
    views: z.array(templateViewSchema).max(200).optional(),
    forms: z.array(templateFormSchema).max(50).optional(),
    documents: z.array(templateDocumentSchema).max(50).optional(),
    conversions: z.array(templateConversionSchema).max(20).optional(),
    records: z.array(templateRecordSchema).max(10_000).optional(),
  })
  .strict();

/**
 * What a template role grants on one of the template's sheets (API.md SheetAccess), with the sheet's field keys in
 * `fields` and in `where` (`{"var": "<field key>"}`, `{"choice": "<choice key>"}`; `$user` and `$teams` as in roles).
 */
const scopeSchema = z.enum(SCOPES);
export const templateSheetAccessSchema = z
  .object({
    read: scopeSchema,
    create: z.boolean(),
    update: scopeSchema,
    delete: scopeSchema,
    where: logicSchema.optional(),
    fields: z.record(keySchema, z.enum(FIELD_GRANTS)).optional(),
  })
  .strict();
/**
 * A role the template creates in the workspace (docs/api.md "Roles and permissions"): named in each language like the
 * sheets, granting by sheet key; sheets it does not name get `otherSheets` (nothing by default).
 */
export const templateRoleSchema = z
  .object({
    key: keySchema,
    name: textSchema,
    design: z.boolean().default(false),
    members: z.boolean().default(false),
    sheets: z.record(keySchema, templateSheetAccessSchema).default({}),
    otherSheets: templateSheetAccessSchema.omit({ where: true, fields: true }).strict().default({ read: 'none', create: false, update: 'none', delete: 'none' }),
  })
  .strict();

/**
 * A workflow the template creates (API.md "Workflows"), named per language, its trigger and steps as the API takes
 * them but naming sheets, fields and choices by KEY: `sheet`, `field`, `fields`, `lockFields` and field-mapping keys
 * are keys; conditions use `{"var": "<field key>"}` (`$old.<key>` too) and `{"choice": "<choice key>"}`; a mapping's
 * value `{"choice": "<key>"}` is that choice's name and `{"inTurn": ["@<role key>", …]}` (a user field) the next of
 * that role's members in turn (the installer when the install created no roles); texts may be per language and read
 * `{{record.<field key>}}`; an approver `@<role key>` is that template role (or "manager" when the install created no roles).
 * workflows.ts checks the keys; the engine checks the rest when the install creates it.
 */
export const templateWorkflowSchema = z
  .object({
    key: keySchema,
    name: textSchema,
    enabled: z.boolean().default(true),
    trigger: z.record(z.string(), z.unknown()),
    steps: z.array(z.record(z.string(), z.unknown())).max(50),
  })
  .strict();

export const templateSchema = z
  .object({
    key: keySchema,
    name: textSchema,
    description: textSchema,
    /**
     * Keys of the templates whose sheets this one needs (installed with it, once). A sheet listed with the key of one
     * of theirs extends it: its fields, rules, views, forms, documents and records are added to that sheet, a field of
     * the same key or a view, form or document of the same name replacing theirs.
     */
    uses: z.array(keySchema).max(50).optional(),
    sheets: z.array(templateSheetSchema).max(200),
    /** Roles created with the sheets (a role of a used template comes too; one with the same key here replaces it). */
    roles: z.array(templateRoleSchema).max(20).optional(),
    /** Workflows created with the sheets and roles (a used template's come too; one with the same key here replaces it). */
    workflows: z.array(templateWorkflowSchema).max(50).optional(),
  })
  .strict();

export type TemplateField = z.output<typeof templateFieldSchema>;
export type TemplateSheet = z.output<typeof templateSheetSchema>;
export type TemplateRecord = z.output<typeof templateRecordSchema>;
export type TemplateView = z.output<typeof templateViewSchema>;
export type TemplateConversion = z.output<typeof templateConversionSchema>;
export type TemplateRole = z.output<typeof templateRoleSchema>;
export type TemplateWorkflow = z.output<typeof templateWorkflowSchema>;
export type Template = z.output<typeof templateSchema>;
export type TemplateInput = z.input<typeof templateSchema>;
