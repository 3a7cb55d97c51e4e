import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api/http.js';
import { useMe } from '../api/queries.js';
import { useI18n } from '../i18n/i18n.js';
import { useUpdateSettings, useWorkspaceSettings } from './api.js';
import './inbox.css';

/** The IANA zones this browser knows (every current one), with the workspace's own first if it is not among them. */
function timeZones(current: string): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? ['UTC', 'Asia/Taipei', 'Asia/Tokyo', 'Asia/Shanghai', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles'];
  const all = zones.includes('UTC') ? zones : ['UTC', ...zones];
  return current && !all.includes(current) ? [current, ...all] : all;
}

/**
 * The settings page's workspace part: its name and the time zone its schedules and date triggers run in, for those
 * who may design it (the server refuses anyone else). With several workspaces, one is chosen first.
 */
export function WorkspaceSection() {
  const { t } = useI18n();
  const me = useMe();
  const designable = (me.data?.workspaces ?? []).filter((w) => w.design);
  const [ws, setWs] = useState('');
  const chosen = designable.find((w) => w.id === ws)?.id ?? designable[0]?.id ?? '';
  if (!me.data) return null;
  return (
    <section className="card settings-section workspace-settings" aria-labelledby="settings-workspace">
      <h2 id="settings-workspace">{t('wsSettings.title')}</h2>
      <p className="hint">{t('wsSettings.intro')}</p>
      {!designable.length && <p className="muted">{t('wsSettings.denied')}</p>}
      {designable.length > 1 && (
        <select aria-label={t('nav.workspace')} className="input" value={chosen} onChange={(e) => setWs(e.target.value)}>
          {designable.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      )}
      {chosen && <WorkspaceForm key={chosen} ws={chosen} />}
    </section>
  );
}

function WorkspaceForm({ ws }: { ws: string }) {
  const { t } = useI18n();
  const settings = useWorkspaceSettings(ws);
  const update = useUpdateSettings(ws);
  const [name, setName] = useState('');
  const [timeZone, setTimeZone] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (settings.data) {
      setName(settings.data.name);
      setTimeZone(settings.data.timeZone);
    }
  }, [settings.data]);
  const zones = useMemo(() => timeZones(timeZone), [timeZone]);
  if (settings.isPending) return <p className="muted">{t('grid.loading')}</p>;
  if (settings.isError) return <p className="error">{settings.error.message}</p>;
  const fieldError = (key: string) => (update.error instanceof ApiError ? update.error.fields[key] : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    update.mutate({ name: name.trim(), timeZone }, { onSuccess: () => setSaved(true) });
  };
  return (
    <form className="settings-form" onSubmit={submit} noValidate>
      <div className="fields">
        <div className="form-row">
          <label htmlFor={`ws-name-${ws}`}>{t('wsSettings.name')}</label>
          <input id={`ws-name-${ws}`} className="input" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} aria-invalid={fieldError('name') ? true : undefined} />
          {fieldError('name') && <p className="error">{fieldError('name')}</p>}
        </div>
        <div className="form-row">
          <label htmlFor={`ws-zone-${ws}`}>{t('wsSettings.timeZone')}</label>
          <select id={`ws-zone-${ws}`} className="input" value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
          {fieldError('timeZone') && <p className="error">{fieldError('timeZone')}</p>}
        </div>
      </div>
      {update.error && !(update.error instanceof ApiError && Object.keys(update.error.fields).length) && (
        <p className="error" role="alert">
          {update.error.message}
        </p>
      )}
      {saved && (
        <p className="success" role="status">
          {t('wsSettings.saved')}
        </p>
      )}
      <div>
        <button className="button primary" type="submit" disabled={update.isPending || !name.trim()}>
          {t('wsSettings.save')}
        </button>
      </div>
    </form>
  );
}
