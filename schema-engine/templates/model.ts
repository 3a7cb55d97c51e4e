import { fieldTypes, isFieldTypeId } from '../field-types/registry.js';
import {
  linkOptionsSchema,
  lookupOptionsSchema,
  rollupOptionsSchema,
  selectOptionsSchema,
  type TemplateField,
  type TemplateSheet,
} from './format.js';
import { copyFromSchema } from '../schema-changes/copy-from.js';
import type { Text } from './text.js';
import type { z } from 'zod';

type LinkOptions = z.output<typeof linkOptionsSchema>;
type Choice = z.output<typeof selectOptionsSchema>['choices'][number];

/** A field of a template sheet: its own, or the inverse side a link of another sheet (or of itself) creates there. */
export interface ModelField {
  readonly key: string;
  readonly sheetKey: string;
  readonly name: Text;
  readonly type: string;
  /** The template's definition; absent for an inverse side. */
  readonly def?: TemplateField;
  /** Both sides of a link: the sheet it links to and how. */
  readonly link?: { sheet: string; relationship: LinkOptions['relationship'] };
  /** For an inverse side: the link field that creates it. */
  readonly inverseOf?: { sheetKey: string; fieldKey: string };
}

const FLIP: Record<LinkOptions['relationship'], LinkOptions['relationship']> = {
  many_to_one: 'one_to_many',
  one_to_many: 'many_to_one',
  one_to_one: 'one_to_one',
  many_to_many: 'many_to_many',
};

/** Link, lookup, rollup and formula fields refer to other fields, so they are created after the ones they read. */
export const isRelational = (type: string) => type === 'link' || type === 'lookup' || type === 'rollup' || type === 'formula';
/** Records of a template may write these (not computed, not system, not numbered). */
export const isWritable = (type: string) => isFieldTypeId(type) && !fieldTypes[type].readOnly;
/** The key of an inverse side its link does not name: "~" never appears in a template key. */
export const inverseKeyOf = (sheetKey: string, link: TemplateField, options: LinkOptions) => options.inverseKey ?? `${sheetKey}~${link.key}`;

export const linkOptions = (field: TemplateField): LinkOptions => linkOptionsSchema.parse(field.options ?? {});
export const lookupOptions = (field: TemplateField) => (field.type === 'rollup' ? rollupOptionsSchema : lookupOptionsSchema).parse(field.options ?? {});
/** A stored field's copy on pick, by keys: `{link: "<link key>", field: "<key in the linked sheet>", again?}`. */
export const templateCopyFrom = (field: TemplateField) => {
  const parsed = copyFromSchema.safeParse((field.options as { copyFrom?: unknown } | undefined)?.copyFrom);
  return parsed.success ? parsed.data : undefined;
};
export const choicesOf = (field: TemplateField): Choice[] => selectOptionsSchema.parse(field.options ?? {}).choices;
export const isSelect = (type: string) => type === 'single_select' || type === 'multi_select';

/** The sheets a template installs, with every field (inverse sides included) by key. Built once per check or install. */
export class TemplateModel {
  private readonly bySheet = new Map<string, Map<string, ModelField>>();
  readonly problems: string[] = [];

  constructor(readonly sheets: readonly TemplateSheet[]) {
    for (const sheet of sheets) {
      if (this.bySheet.has(sheet.key)) this.problems.push(`sheets.${sheet.key}: two sheets have this key`);
      this.bySheet.set(sheet.key, new Map());
    }
    for (const sheet of sheets) {
      for (const def of sheet.fields) {
        const entry: ModelField = { key: def.key, sheetKey: sheet.key, name: def.name, type: def.type, def };
        if (def.type !== 'link') {
          this.add(entry);
          continue;
        }
        const parsed = linkOptionsSchema.safeParse(def.options ?? {});
        if (!parsed.success) {
          this.problems.push(`sheets.${sheet.key}.fields.${def.key}.options: ${parsed.error.issues[0]?.message ?? 'not link options'}`);
          continue;
        }
        const options = parsed.data;
        this.add({ ...entry, link: { sheet: options.sheet, relationship: options.relationship } });
        if (!this.bySheet.has(options.sheet)) {
          this.problems.push(`sheets.${sheet.key}.fields.${def.key}.options.sheet: there is no sheet "${options.sheet}" in the template (or those it uses)`);
          continue;
        }
        this.add({
          key: inverseKeyOf(sheet.key, def, options),
          sheetKey: options.sheet,
          name: options.inverseName ?? sheet.name,
          type: 'link',
          link: { sheet: sheet.key, relationship: FLIP[options.relationship] },
          inverseOf: { sheetKey: sheet.key, fieldKey: def.key },
        });
      }
    }
  }

  private add(field: ModelField): void {
    const fields = this.bySheet.get(field.sheetKey)!;
    if (fields.has(field.key)) this.problems.push(`sheets.${field.sheetKey}.fields.${field.key}: two fields of the sheet have this key`);
    fields.set(field.key, field);
  }

  sheet(key: string): TemplateSheet | undefined {
    return this.sheets.find((s) => s.key === key);
  }

  fields(sheetKey: string): ReadonlyMap<string, ModelField> {
    return this.bySheet.get(sheetKey) ?? new Map();
  }

  field(sheetKey: string, key: string): ModelField | undefined {
    return this.bySheet.get(sheetKey)?.get(key);
  }

  /** The field a lookup or rollup reads, through its link. */
  lookedUp(sheetKey: string, def: TemplateField): ModelField | undefined {
    const parsed = (def.type === 'rollup' ? rollupOptionsSchema : lookupOptionsSchema).safeParse(def.options ?? {});
    if (!parsed.success) return undefined;
    const link = this.field(sheetKey, parsed.data.link);
    return link?.link ? this.field(link.link.sheet, parsed.data.field) : undefined;
  }

  /**
   * The name of a choice a condition or formula of the sheet compares with: a choice of one of its selects, or of a
   * select one of its lookups reads. Undefined when no select has it, or two have it under different names.
   */
  choice(sheetKey: string, choiceKey: string): Text | undefined {
    const found: Text[] = [];
    for (const field of this.fields(sheetKey).values()) {
      let def = field.def;
      if (def && (def.type === 'lookup' || def.type === 'rollup')) def = this.lookedUp(sheetKey, def)?.def;
      if (!def || !isSelect(def.type)) continue;
      const choice = selectOptionsSchema.safeParse(def.options ?? {});
      const hit = choice.success ? choice.data.choices.find((c) => c.key === choiceKey) : undefined;
      if (hit) found.push(hit.name);
    }
    const distinct = new Set(found.map((t) => JSON.stringify(t)));
    return distinct.size === 1 ? found[0] : undefined;
  }
}
