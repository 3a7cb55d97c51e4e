import { compileTemplate } from '../documents/index.js';
import { formLayoutSchema } from '../forms/layout.js';
import { isFieldTypeId } from '../field-types/registry.js';
import { formulaOptionsSchema, selectOptionsSchema, type TemplateSheet } from './format.js';
import { checkConversions } from './conversions.js';
import { choicesOf, isRelational, isSelect, isWritable, templateCopyFrom, TemplateModel, type ModelField } from './model.js';
import { mapCondition, mapFormula } from './keys.js';
import { LANGUAGES, localize, localizeLayout, type Text } from './text.js';
import { cleanName, nameKey } from '../schema-changes/names.js';

/**
 * Everything a template refers to, checked without a database: keys that exist, names that do not clash in either
 * language, layouts that are valid forms, sample values that name real choices and records. The engine checks the
 * rest (types, options, formulas, rules on the records) when the template's test installs it.
 */
export function checkSheets(sheets: readonly TemplateSheet[]): string[] {
  const model = new TemplateModel(sheets);
  const problems = [...model.problems];
  for (const language of LANGUAGES) unique(sheets.map((s) => s.name), language, 'sheets', problems);
  for (const sheet of sheets) checkSheet(model, sheet, problems);
  return problems;
}

function unique(names: Text[], language: (typeof LANGUAGES)[number], where: string, problems: string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    const text = nameKey(cleanName(localize(name, language)));
    if (seen.has(text)) problems.push(`${where}: two have the ${language} name "${localize(name, language)}"`);
    seen.add(text);
  }
}

function checkSheet(model: TemplateModel, sheet: TemplateSheet, problems: string[]): void {
  const at = `sheets.${sheet.key}`;
  const fields = model.fields(sheet.key);
  for (const language of LANGUAGES) unique([...fields.values()].map((f) => f.name), language, `${at}.fields`, problems);
  const primary = sheet.fields.find((f) => f.primary) ?? sheet.fields[0]!;
  if (isRelational(primary.type)) problems.push(`${at}.fields.${primary.key}: the primary field must be a stored field (not a ${primary.type})`);
  const field = (key: string, where: string): ModelField | undefined => {
    const found = fields.get(key);
    if (!found) problems.push(`${where}: "${sheet.key}" has no field "${key}"`);
    return found;
  };
  const choice = (where: string) => (key: string) => {
    const name = model.choice(sheet.key, key);
    if (!name) problems.push(`${where}: no select of "${sheet.key}" has one choice "${key}"`);
    return name ? localize(name, 'en') : key;
  };
  const condition = (logic: unknown, where: string) => mapCondition(logic, (k) => (field(k, where), k), choice(where));

  for (const def of sheet.fields) {
    const where = `${at}.fields.${def.key}`;
    if (!isFieldTypeId(def.type)) problems.push(`${where}: "${def.type}" is not a field type`);
    if (isSelect(def.type)) {
      const parsed = selectOptionsSchema.safeParse(def.options ?? {});
      if (!parsed.success) problems.push(`${where}.options: ${parsed.error.issues[0]?.message}`);
      else {
        if (new Set(parsed.data.choices.map((c) => c.key)).size !== parsed.data.choices.length) problems.push(`${where}.options.choices: two choices have one key`);
        for (const language of LANGUAGES) unique(parsed.data.choices.map((c) => c.name), language, `${where}.options.choices`, problems);
        if (def.defaultValue !== undefined) checkValue(fields.get(def.key)!, def.defaultValue, `${where}.defaultValue`, problems, new Map());
      }
    }
    if (def.type === 'lookup' || def.type === 'rollup') {
      const link = field(String(def.options?.link ?? ''), `${where}.options.link`);
      if (link && !link.link) problems.push(`${where}.options.link: "${link.key}" is not a link`);
      else if (link?.link && !model.lookedUp(sheet.key, def)) problems.push(`${where}.options.field: "${link.link.sheet}" has no field "${String(def.options?.field)}"`);
    }
    const copy = templateCopyFrom(def);
    if (copy) {
      const link = field(copy.link, `${where}.options.copyFrom.link`);
      if (link && !link.link) problems.push(`${where}.options.copyFrom.link: "${link.key}" is not a link`);
      else if (link?.link && !model.field(link.link.sheet, copy.field)) problems.push(`${where}.options.copyFrom.field: "${link.link.sheet}" has no field "${copy.field}"`);
    }
    if (def.type === 'formula') {
      const parsed = formulaOptionsSchema.safeParse(def.options ?? {});
      if (!parsed.success) problems.push(`${where}.options: needs {expression}`);
      else mapFormula(parsed.data.expression, (k) => (field(k, `${where}.options.expression`), k), choice(`${where}.options.expression`));
    }
  }
  sheet.rules?.forEach((rule, i) => {
    condition(rule.condition, `${at}.rules.${i}.condition`);
    rule.lockedFields?.forEach((key) => field(key, `${at}.rules.${i}.lockedFields`));
  });
  sheet.views?.forEach((view, i) => {
    const where = `${at}.views.${i}.config`;
    const { config } = view;
    for (const key of [...(config.hiddenFields ?? []), ...(config.fieldOrder ?? []), ...(config.cardFields ?? []), ...Object.keys(config.fieldWidths ?? {})]) field(key, where);
    for (const key of config.sort?.split(',') ?? []) field(key.trim().replace(/^-/, ''), `${where}.sort`);
    if (config.sumField) field(config.sumField, `${where}.sumField`);
    if (config.groupBy && field(config.groupBy, `${where}.groupBy`)?.type !== 'single_select') problems.push(`${where}.groupBy: must be a single select`);
    if (view.type === 'kanban' && !config.groupBy) problems.push(`${where}.groupBy: a kanban needs one`);
    if (config.filter !== undefined) condition(config.filter, `${where}.filter`);
  });
  sheet.forms?.forEach((form, i) => {
    const where = `${at}.forms.${i}.layout`;
    for (const language of LANGUAGES) {
      const column = (linkKey: string, key: string) => {
        const target = fields.get(linkKey)?.link?.sheet;
        if (!target || !model.field(target, key)) problems.push(`${where}: the related list of "${linkKey}" has no column "${key}"`);
        return key;
      };
      const layout = localizeLayout(form.layout, language, { field: (k) => (field(k, where), k), condition: (c) => condition(c, where), value: (_, v) => v, column });
      const parsed = formLayoutSchema.safeParse(layout);
      if (!parsed.success) problems.push(`${where} (${language}): ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    }
  });
  sheet.documents?.forEach((document, i) => {
    for (const language of document.template ? LANGUAGES : []) {
      try {
        compileTemplate(localize(document.template!, language));
      } catch (error) {
        problems.push(`${at}.documents.${i}.template (${language}): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  });
  checkConversions(model, sheet, problems);
  const keys = new Map<string, Set<string>>();
  for (const s of model.sheets) keys.set(s.key, new Set((s.records ?? []).flatMap((r) => (r.key ? [r.key] : []))));
  if (keys.get(sheet.key)!.size !== (sheet.records ?? []).filter((r) => r.key).length) problems.push(`${at}.records: two records have one key`);
  sheet.records?.forEach((record, i) => {
    for (const [key, value] of Object.entries(record.fields)) {
      const where = `${at}.records.${record.key ?? i}.${key}`;
      const f = field(key, where);
      if (!f) continue;
      if (!isWritable(f.type)) problems.push(`${where}: a ${f.type} field is not written`);
      else checkValue(f, value, where, problems, keys);
    }
  });
}

/** A sample (or default) value: selects name choice keys, links name record keys of the linked sheet. */
function checkValue(field: ModelField, value: unknown, where: string, problems: string[], keys: Map<string, Set<string>>): void {
  const list = Array.isArray(value) ? value : [value];
  if (field.def && isSelect(field.type)) {
    const choices = new Set(choicesOf(field.def).map((c) => c.key));
    for (const v of list) if (!choices.has(String(v))) problems.push(`${where}: "${String(v)}" is not a choice key of "${field.key}"`);
    if (field.type === 'single_select' && Array.isArray(value)) problems.push(`${where}: a single select holds one choice`);
  }
  if (field.link) {
    const target = keys.get(field.link.sheet);
    for (const v of list) if (!target?.has(String(v))) problems.push(`${where}: "${field.link.sheet}" has no sample record "${String(v)}"`);
  }
}
