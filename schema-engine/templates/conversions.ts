import type { ConversionInput } from '../conversions/spec.js';
import type { TemplateConversion, TemplateSheet } from './format.js';
import type { InstallState } from './install-state.js';
import { choicesOf, isSelect, type TemplateModel } from './model.js';
import { templateValue } from './values.js';

/** The parts of a conversion that name a value of the converted record's field. */
export const VALUE_PARTS = ['requires', 'mark'] as const;

/** What a template's conversions name: fields of the sheet and of each target's sheet, choices, earlier targets. */
export function checkConversions(model: TemplateModel, sheet: TemplateSheet, problems: string[]): void {
  sheet.conversions?.forEach((conversion, i) => {
    const at = `sheets.${sheet.key}.conversions.${i}`;
    const field = (sheetKey: string, key: string, where: string) => {
      const found = model.field(sheetKey, key);
      if (!found) problems.push(`${where}: "${sheetKey}" has no field "${key}"`);
      return found;
    };
    for (const part of VALUE_PARTS) {
      const value = conversion[part];
      const f = value && field(sheet.key, value.field, `${at}.${part}.field`);
      if (value && f?.def && isSelect(f.type) && !choicesOf(f.def).some((c) => c.key === value.value)) {
        problems.push(`${at}.${part}.value: "${value.value}" is not a choice key of "${f.key}"`);
      }
    }
    const targets = new Map<string, string>();
    const linksTo = (sheetKey: string, linkKey: string, targetKey: string, where: string) => {
      const link = field(sheetKey, linkKey, where);
      const target = targets.get(targetKey);
      if (target === undefined) problems.push(`${where}: "${targetKey}" is not an earlier target`);
      else if (link && link.link?.sheet !== target) problems.push(`${where}: "${linkKey}" is not a link to "${target}"`);
    };
    conversion.targets.forEach((target, j) => {
      const where = `${at}.targets.${j}`;
      if (!model.sheet(target.sheet)) {
        problems.push(`${where}.sheet: there is no sheet "${target.sheet}"`);
        return;
      }
      for (const [to, from] of Object.entries(target.fields)) {
        field(target.sheet, to, `${where}.fields`);
        field(sheet.key, from, `${where}.fields`);
      }
      if (target.match) field(target.sheet, target.match, `${where}.match`);
      for (const [link, other] of Object.entries(target.links ?? {})) linksTo(target.sheet, link, other, `${where}.links`);
      targets.set(target.key, target.sheet);
    });
    for (const [link, key] of Object.entries(conversion.backLinks ?? {})) linksTo(sheet.key, link, key, `${at}.backLinks`);
  });
}

const mapKeys = (record: Record<string, string>, key: (k: string) => string, value: (v: string) => string = (v) => v) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [key(k), value(v)]));

/** A template conversion as the engine's `createConversion` takes it: sheets and fields by id, choices by name. */
export function conversionInput(state: InstallState, sheetKey: string, conversion: TemplateConversion): ConversionInput {
  const input: ConversionInput = {
    name: state.text(conversion.name),
    targets: conversion.targets.map((t) => ({
      key: t.key,
      sheet: state.sheetId(t.sheet),
      fields: mapKeys(t.fields, (to) => state.fieldId(t.sheet, to), (from) => state.fieldId(sheetKey, from)),
      ...(t.match ? { match: state.fieldId(t.sheet, t.match) } : {}),
      ...(t.links ? { links: mapKeys(t.links, (link) => state.fieldId(t.sheet, link)) } : {}),
    })),
    ...(conversion.backLinks ? { backLinks: mapKeys(conversion.backLinks, (link) => state.fieldId(sheetKey, link)) } : {}),
  };
  for (const part of VALUE_PARTS) {
    const value = conversion[part];
    if (value) input[part] = { field: state.fieldId(sheetKey, value.field), value: String(templateValue(state, state.model.field(sheetKey, value.field)!, value.value)) };
  }
  return input;
}
