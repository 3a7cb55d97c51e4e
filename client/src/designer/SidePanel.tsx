import { useState } from 'react';
import type { Form } from '../api/forms.js';
import { useI18n } from '../i18n/i18n.js';
import { PropertyPanel } from './PropertyPanel.js';
import { PublicPanel } from './PublicPanel.js';
import type { FormSaver } from './use-form-save.js';
import { VersionsPanel } from './VersionsPanel.js';

type Panel = 'properties' | 'public' | 'versions';

/** The right-hand panel: the selection's properties, the public form settings, the published versions. */
export function SidePanel({ form, saver }: { form: Form; saver: FormSaver }) {
  const { t } = useI18n();
  const [panel, setPanel] = useState<Panel>('properties');
  const labels: Record<Panel, string> = { properties: t('designer.properties'), public: t('designer.publicForm'), versions: t('designer.versions') };
  return (
    <aside className="designer-side" aria-label={labels[panel]}>
      <div className="designer-side-tabs" role="tablist">
        {(Object.keys(labels) as Panel[]).map((p) => (
          <button key={p} type="button" role="tab" aria-selected={panel === p} className={panel === p ? 'active' : ''} onClick={() => setPanel(p)}>
            {labels[p]}
          </button>
        ))}
      </div>
      <div className="designer-side-body" role="tabpanel">
        {panel === 'properties' && <PropertyPanel />}
        {panel === 'public' && <PublicPanel form={form} />}
        {panel === 'versions' && <VersionsPanel form={form} saver={saver} />}
      </div>
    </aside>
  );
}
