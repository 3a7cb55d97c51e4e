import type { FormSection, FormTab } from '../../../schema-engine/forms/layout.js';
import { useI18n } from '../i18n/i18n.js';
import { elementName, sectionName } from './announce.js';
import { ConditionField } from './ConditionField.js';
import { useDesigner } from './context.js';
import { ElementProperties } from './ElementProperties.js';
import { findElement, findSection, findTab } from './layout-tree.js';

/** The selected element's, section's or tab's properties. */
export function PropertyPanel() {
  const { t } = useI18n();
  const { state, dispatch, fields } = useDesigner();
  const layout = state.doc.layout;
  const id = state.selected;
  const element = id ? findElement(layout, id)?.node : undefined;
  const section = id ? findSection(layout, id)?.node : undefined;
  const tab = id ? findTab(layout, id)?.node : undefined;
  if (!id || (!element && !section && !tab)) return <p className="hint designer-empty-panel">{t('designer.selectHint')}</p>;
  const title = element ? elementName(element, fields, t) : section ? sectionName(layout, section.id, t) : (tab?.title ?? '');
  return (
    <div className="designer-properties" key={id}>
      <h3>{title}</h3>
      {element && <ElementProperties element={element} />}
      {section && <SectionProperties section={section} />}
      {tab && <TabProperties tab={tab} />}
      <button type="button" className="button danger small" disabled={!!tab && layout.tabs.length === 1} onClick={() => dispatch({ type: 'remove', id })}>
        {element ? t('designer.removeFromForm') : section ? t('designer.removeSection') : t('designer.removeTab')}
      </button>
    </div>
  );
}

function SectionProperties({ section }: { section: FormSection }) {
  const { t } = useI18n();
  const { dispatch, sheet } = useDesigner();
  const set = (key: string, patch: Partial<FormSection>) => dispatch({ type: 'updateSection', id: section.id, patch, coalesce: `${section.id}.${key}` });
  return (
    <>
      <label>
        {t('designer.sectionTitle')}
        <input className="input" value={section.title ?? ''} onChange={(e) => set('title', { title: e.target.value || undefined })} />
      </label>
      <label>
        {t('designer.description')}
        <textarea className="input" rows={2} value={section.description ?? ''} onChange={(e) => set('description', { description: e.target.value || undefined })} />
      </label>
      <div className="designer-checks">
        <label className="check">
          <input type="checkbox" checked={section.collapsible ?? false} onChange={(e) => set('collapsible', { collapsible: e.target.checked || undefined, ...(e.target.checked ? {} : { collapsed: undefined }) })} /> {t('designer.collapsible')}
        </label>
        {section.collapsible && (
          <label className="check">
            <input type="checkbox" checked={section.collapsed ?? false} onChange={(e) => set('collapsed', { collapsed: e.target.checked || undefined })} /> {t('designer.startCollapsed')}
          </label>
        )}
      </div>
      <ConditionField label={t('designer.showWhen')} hint={t('designer.showWhenHint')} value={section.visibleWhen} fields={sheet.fields} onChange={(logic) => set('visibleWhen', { visibleWhen: logic })} />
    </>
  );
}

function TabProperties({ tab }: { tab: FormTab }) {
  const { t } = useI18n();
  const { dispatch, sheet } = useDesigner();
  const set = (key: string, patch: Partial<FormTab>) => dispatch({ type: 'updateTab', id: tab.id, patch, coalesce: `${tab.id}.${key}` });
  return (
    <>
      <label>
        {t('designer.tabTitleLabel')}
        <input className="input" value={tab.title} onChange={(e) => set('title', { title: e.target.value })} />
      </label>
      <ConditionField label={t('designer.showWhen')} hint={t('designer.showWhenHint')} value={tab.visibleWhen} fields={sheet.fields} onChange={(logic) => set('visibleWhen', { visibleWhen: logic })} />
    </>
  );
}
