import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../api/http.js';
import { sheetPath } from '../api/queries.js';
import { useToast } from '../app/toasts.js';
import { ReadOnly } from '../fields/controls.js';
import { useRecordScope } from '../fields/record-scope.js';
import { useI18n } from '../i18n/i18n.js';
import { useButtons } from '../workflows/api.js';
import type { CellProps, ClientFieldType, OptionsEditorProps } from './types.js';

const enc = encodeURIComponent;

/** A button with the field's label: runs its workflow (a toast says it started) or opens its URL in a new tab. */
function ButtonCell({ field }: CellProps) {
  const { t } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const scope = useRecordScope();
  const [busy, setBusy] = useState(false);
  const label = String(field.options.label ?? field.name);
  const press = async () => {
    if (!scope) return;
    setBusy(true);
    // Opened before the request, while the click still allows a new tab; pointed at the URL once it is known.
    const tab = field.options.url !== undefined ? window.open('about:blank', '_blank') : null;
    try {
      const pressed = await api<{ runId?: string; url?: string }>('POST', `${sheetPath(scope.ws, scope.sheet)}/records/${enc(scope.record)}/fields/${enc(field.id)}/press`);
      if (pressed.url !== undefined) {
        if (tab) {
          tab.opener = null;
          tab.location.href = pressed.url;
        } else window.open(pressed.url, '_blank', 'noopener');
      } else {
        toast(t('wf.buttonStarted', { label }));
        // The run may change this record soon: ask for it again in a moment.
        setTimeout(() => void client.invalidateQueries({ queryKey: ['record', scope.ws] }), 1500);
      }
    } catch (error) {
      tab?.close();
      toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="button small field-button"
      data-button-field={field.name}
      disabled={!scope?.canUpdate || busy}
      // The grid selects and edits on mouse presses: a press of the button is only the button's.
      onMouseDown={(e) => e.stopPropagation()}
      onDoubleClick={(e) => e.stopPropagation()}
      onClick={(e) => {
        e.stopPropagation();
        void press();
      }}
    >
      {label}
    </button>
  );
}

/** Label, then what it does: one of the sheet's button workflows, or a URL template over the record. */
function ButtonOptions({ options, onChange, ws, sheet }: OptionsEditorProps) {
  const { t } = useI18n();
  const workflows = useButtons(ws, sheet.id).data ?? [];
  const action = options.url !== undefined ? 'url' : 'workflow';
  return (
    <>
      <label>
        {t('button.label')}
        <input className="input" name="button-label" value={String(options.label ?? '')} onChange={(e) => onChange({ ...options, label: e.target.value })} />
      </label>
      <label>
        {t('button.action')}
        <select
          className="input"
          name="button-action"
          value={action}
          onChange={(e) => {
            const { workflow: _w, url: _u, ...rest } = options;
            onChange(e.target.value === 'url' ? { ...rest, url: '' } : rest);
          }}
        >
          <option value="workflow">{t('button.runWorkflow')}</option>
          <option value="url">{t('button.openUrl')}</option>
        </select>
      </label>
      {action === 'workflow' ? (
        <label>
          {t('button.workflow')}
          <select className="input" name="button-workflow" value={String(options.workflow ?? '')} onChange={(e) => onChange({ ...options, workflow: e.target.value || undefined })}>
            <option value="">{workflows.length ? '—' : t('button.noWorkflows')}</option>
            {workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <label>
          {t('button.url')}
          <input className="input" name="button-url" placeholder="https://example.com/?q={{Name}}" value={String(options.url ?? '')} onChange={(e) => onChange({ ...options, url: e.target.value })} />
        </label>
      )}
    </>
  );
}

/** A button has no value: its cell is the button (fields/Cell.tsx shows it for every record). */
export const button: ClientFieldType = {
  id: 'button',
  nameKey: 'designer.type.button',
  valueKind: 'text',
  readOnly: true,
  valueless: true,
  control: ReadOnly,
  format: () => '',
  cell: ButtonCell,
  optionsEditor: ButtonOptions,
  initialOptions: () => ({ label: '' }),
  toInput: (o) => ({ label: o.label, ...(o.url !== undefined ? { url: o.url } : { workflow: o.workflow }) }),
  sample: () => null,
};
