import { z } from 'zod';
import { MAX_COLUMNS, MAX_ELEMENTS, MAX_SECTIONS, MAX_TABS } from './limits.js';

export { MAX_COLUMNS, MAX_ELEMENTS } from './limits.js';

/**
 * A designed form: tabs → sections → rows of up to four columns → elements. Fields are named by name or id when
 * written and stored (and shown) by id; conditions are JsonLogic over the sheet's fields, stored with field ids.
 * Element ids are the designer's own (stable across drags), unique within a form.
 */
export const FIELD_WIDTHS = ['quarter', 'half', 'three_quarters', 'full'] as const;

const elementId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, "-" or "_"');
const fieldRef = z.string().min(1).max(255);
const shortText = z.string().max(255);
const longText = z.string().max(10_000);
/** Checked against the sheet when the form is saved (allow-listed operators, known fields). */
const condition = z.unknown();

const base = { id: elementId, visibleWhen: condition.optional() };

export const fieldElementSchema = z
  .object({
    ...base,
    kind: z.literal('field'),
    field: fieldRef,
    label: shortText.optional(),
    help: longText.optional(),
    placeholder: shortText.optional(),
    width: z.enum(FIELD_WIDTHS).optional(),
    readOnly: z.boolean().optional(),
    /** On the form but not shown: its default value is still written on create. */
    hidden: z.boolean().optional(),
    defaultValue: z.unknown().optional(),
    required: z.boolean().optional(),
    requiredWhen: condition.optional(),
  })
  .strict();

export const headingElementSchema = z.object({ ...base, kind: z.literal('heading'), text: shortText }).strict();
export const paragraphElementSchema = z.object({ ...base, kind: z.literal('paragraph'), text: longText }).strict();
export const dividerElementSchema = z.object({ ...base, kind: z.literal('divider') }).strict();
/** The records linked through a link field, editable in place (a quote's line items). */
export const relatedElementSchema = z
  .object({
    ...base,
    kind: z.literal('related'),
    field: fieldRef,
    label: shortText.optional(),
    /** The linked sheet's fields shown as columns, in order; all of them when absent. */
    columns: z.array(fieldRef).max(50).optional(),
    readOnly: z.boolean().optional(),
  })
  .strict();

export const elementSchema = z.discriminatedUnion('kind', [fieldElementSchema, headingElementSchema, paragraphElementSchema, dividerElementSchema, relatedElementSchema]);
export const columnSchema = z.object({ id: elementId, elements: z.array(elementSchema).max(MAX_ELEMENTS) }).strict();
export const rowSchema = z.object({ id: elementId, columns: z.array(columnSchema).min(1).max(MAX_COLUMNS) }).strict();
export const sectionSchema = z
  .object({
    id: elementId,
    title: shortText.optional(),
    description: longText.optional(),
    collapsible: z.boolean().optional(),
    collapsed: z.boolean().optional(),
    visibleWhen: condition.optional(),
    rows: z.array(rowSchema).max(MAX_ELEMENTS),
  })
  .strict();
export const tabSchema = z.object({ id: elementId, title: shortText, visibleWhen: condition.optional(), sections: z.array(sectionSchema).max(MAX_SECTIONS) }).strict();
export const formLayoutSchema = z.object({ tabs: z.array(tabSchema).min(1).max(MAX_TABS) }).strict();

export type FieldElement = z.output<typeof fieldElementSchema>;
export type RelatedElement = z.output<typeof relatedElementSchema>;
export type FormElement = z.output<typeof elementSchema>;
export type FormColumn = z.output<typeof columnSchema>;
export type FormRow = z.output<typeof rowSchema>;
export type FormSection = z.output<typeof sectionSchema>;
export type FormTab = z.output<typeof tabSchema>;
export type FormLayout = z.output<typeof formLayoutSchema>;
export type ElementKind = FormElement['kind'];
