import { typeIdOf, unsavedFacts } from '../field-types/index.js';
import { useMemo } from 'react';
import { evaluateForm } from '../../../schema-engine/forms/evaluate.js';
import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import { mapCondition } from '../../../schema-engine/templates/keys.js';
import { isText, localize, localizeLayout, type Language, type Text } from '../../../schema-engine/templates/text.js';
import type { Field } from '../api/types.js';
import { LayoutView } from '../form-layout/LayoutView.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/en.js';
import type { TemplateDetail } from './types.js';

type PreviewSheet = TemplateDetail['sheets'][number];

/** The template's fields as the app's Field shape, keyed (and identified) by their template keys. */
function previewFields(sheet: PreviewSheet, all: readonly PreviewSheet[], language: Language): Map<string, Field> {
  const fields = new Map<string, Field>();
  // The other side of links to this sheet (a quote's line items) is a field of it too.
  for (const other of all) {
    for (const f of other.fields) {
      const o = f.options as { sheet?: string; inverseKey?: string; inverseName?: Text } | undefined;
      if (f.type !== 'link' || o?.sheet !== sheet.key) continue;
      const key = o.inverseKey ?? `${other.key}~${f.key}`;
      fields.set(key, { id: key, name: localize(o.inverseName ?? other.name, language), type: 'link', options: {}, required: false, unique: false, description: '', defaultValue: null, ...unsavedFacts('link') });
    }
  }
  for (const f of sheet.fields) {
    const choices = (f.options?.choices as { key: string; name: Text; color?: string }[] | undefined)?.map((c) => ({ id: c.key, name: localize(c.name, language), color: c.color ?? 'gray' }));
    fields.set(f.key, {
      id: f.key,
      name: localize(f.name, language),
      type: typeIdOf(f.type),
      options: choices ? { choices } : (f.options ?? {}),
      required: f.required ?? false,
      unique: f.unique ?? false,
      description: f.description && isText(f.description) ? localize(f.description, language) : '',
      defaultValue: null,
      ...unsavedFacts(f.type),
    });
  }
  return fields;
}

function choiceName(sheet: PreviewSheet, key: string, language: Language): string {
  for (const f of sheet.fields) {
    const hit = (f.options?.choices as { key: string; name: Text }[] | undefined)?.find((c) => c.key === key);
    if (hit) return localize(hit.name, language);
  }
  return key;
}

/** One of a template's forms, read-only: the same layout renderer as the record page, every field as its type. */
export function TemplateFormPreview({ sheet, sheets, layout, language }: { sheet: PreviewSheet; sheets: readonly PreviewSheet[]; layout: unknown; language: Language }) {
  const { t } = useI18n();
  const fields = useMemo(() => previewFields(sheet, sheets, language), [sheet, sheets, language]);
  const localized = useMemo(
    () =>
      localizeLayout(layout, language, {
        field: (k) => k,
        column: (_, k) => k,
        value: (_, v) => v,
        condition: (c) => mapCondition(c, (k) => k, (k) => choiceName(sheet, k, language)),
      }) as FormLayout,
    [layout, language, sheet],
  );
  const state = useMemo(() => evaluateForm(localized, {}), [localized]);
  return (
    <div className="gallery-form record-form" aria-readonly="true">
      <LayoutView
        layout={localized}
        state={state}
        fields={fields}
        renderField={(field, element) => (
          <div className="form-row">
            <label>
              {element.label || field.name}
              {(element.required || field.required) && <span className="gallery-required"> *</span>}
            </label>
            <div className="gallery-input">{t(`designer.type.${field.type}` as MessageKey)}</div>
            {element.help && <p className="hint">{element.help}</p>}
          </div>
        )}
        renderRelated={(field, element) => (
          <div className="form-row">
            <label>{element.label || field.name}</label>
            <div className="gallery-input gallery-related">{t('gallery.relatedList')}</div>
          </div>
        )}
      />
    </div>
  );
}
