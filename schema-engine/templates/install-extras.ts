import { sheetOrThrow } from '../catalog/resolve.js';
import { createConversion } from '../conversions/conversions.js';
import { createDocument } from '../documents/index.js';
import { createForm, publishForm } from '../forms/forms.js';
import { formLayoutSchema } from '../forms/layout.js';
import { createRule } from '../rules/sheet-rules.js';
import { createView, type ViewConfig } from '../views/views.js';
import { conversionInput } from './conversions.js';
import type { TemplateSheet, TemplateView } from './format.js';
import type { InstallState } from './install-state.js';
import { mapCondition } from './keys.js';
import { localizeLayout } from './text.js';
import { templateValue } from './values.js';

/** A condition of a sheet with field ids in its vars and choice names for `{"choice": key}`. */
export function sheetCondition(state: InstallState, sheetKey: string, logic: unknown): unknown {
  return mapCondition(logic, (key) => state.fieldId(sheetKey, key), (key) => state.choice(sheetKey, key));
}

function viewConfig(state: InstallState, sheetKey: string, config: TemplateView['config']): ViewConfig {
  const id = (key: string) => state.fieldId(sheetKey, key);
  const ids = (keys: string[] | undefined) => keys?.map(id);
  const out: ViewConfig = {
    ...config,
    hiddenFields: ids(config.hiddenFields),
    fieldOrder: ids(config.fieldOrder),
    cardFields: ids(config.cardFields),
    groupBy: config.groupBy && id(config.groupBy),
    sumField: config.sumField && id(config.sumField),
    sort: config.sort
      ?.split(',')
      .map((k) => k.trim())
      .map((k) => (k.startsWith('-') ? `-${id(k.slice(1))}` : id(k)))
      .join(','),
    filter: config.filter === undefined ? undefined : sheetCondition(state, sheetKey, config.filter),
    fieldWidths: config.fieldWidths && Object.fromEntries(Object.entries(config.fieldWidths).map(([k, w]) => [id(k), w])),
  };
  for (const key of Object.keys(out) as (keyof ViewConfig)[]) if (out[key] === undefined) delete out[key];
  return out;
}

/** A template form's layout in the install's language, fields by id (what createForm takes). */
export function formLayout(state: InstallState, sheetKey: string, layout: unknown) {
  const localized = localizeLayout(layout, state.language, {
    field: (key) => state.fieldId(sheetKey, key),
    condition: (logic) => sheetCondition(state, sheetKey, logic),
    value: (fieldKey, value) => templateValue(state, state.model.field(sheetKey, fieldKey)!, value),
    column: (linkKey, key) => state.fieldId(state.model.field(sheetKey, linkKey)!.link!.sheet, key),
  });
  return formLayoutSchema.parse(localized);
}

/**
 * Rules, views, forms (created, then published: the first is the sheet's default), documents and conversions (every
 * sheet exists by now), through the engine's own functions.
 */
export async function installExtras(state: InstallState, sheet: TemplateSheet): Promise<void> {
  const { engine } = state;
  const sheetId = state.sheetId(sheet.key);
  for (const rule of sheet.rules ?? []) {
    const lock = rule.kind === 'lock' ? { kind: 'lock' as const, lockedFields: rule.lockedFields?.map((key) => state.fieldId(sheet.key, key)) ?? null } : {};
    await createRule(engine, await state.current(), sheetId, { condition: sheetCondition(state, sheet.key, rule.condition), message: state.text(rule.message), ...lock });
  }
  for (const view of sheet.views ?? []) {
    await createView(engine, await state.current(), sheetId, { name: state.text(view.name), type: view.type, config: viewConfig(state, sheet.key, view.config) });
  }
  for (const form of sheet.forms ?? []) {
    const created = await createForm(engine, await state.current(), sheetId, { name: state.text(form.name), layout: formLayout(state, sheet.key, form.layout) });
    await publishForm(engine, await state.current(), sheetId, created.id, created.version);
  }
  for (const document of sheet.documents ?? []) {
    const input = { name: state.text(document.name), locale: state.language, ...(document.template ? { template: state.text(document.template) } : {}) };
    await createDocument(engine, await state.current(), sheetId, input);
  }
  for (const conversion of sheet.conversions ?? []) {
    await createConversion(engine, await state.current(), sheetId, conversionInput(state, sheet.key, conversion));
  }
}
