import { useState } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../api/http.js';
import { useSheets } from '../api/queries.js';
import { useToast } from '../app/toasts.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from '../team/common.js';
import { DesignGate } from '../workflows/WorkflowsPage.js';
import { EVENTS, useDeliveries, useWebhookMutations, useWebhooks, type Webhook, type WebhookEvent } from './api.js';
import '../workflows/workflows.css';
import './webhooks.css';

/** A workspace's record-event webhooks: add one (its secret shown once), delete, and each one's recent deliveries. */
export function WebhooksPage({ ws }: { ws: string }) {
  const { t } = useI18n();
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  return (
    <DesignGate ws={ws}>
      <section className="wf-page">
        <div className="wf-head">
          <h1>{t('hooks.title')}</h1>
          <span className="spacer" />
          <Link href={`/w/${ws}/workflows`} className="button">
            {t('wf.title')}
          </Link>
        </div>
        <p className="muted">{t('hooks.intro')}</p>
        <NewWebhook ws={ws} onCreated={(hook) => setSecret({ url: hook.url, secret: hook.secret ?? '' })} />
        {secret && (
          <div className="card hooks-secret" role="status">
            <strong>{t('hooks.secretTitle')}</strong>
            <p className="muted">{t('hooks.secretOnce', { url: secret.url })}</p>
            <code className="wf-json" data-testid="webhook-secret">
              {secret.secret}
            </code>
            <button type="button" className="button small" onClick={() => setSecret(null)}>
              {t('hooks.secretDone')}
            </button>
          </div>
        )}
        <WebhookList ws={ws} />
      </section>
    </DesignGate>
  );
}

function NewWebhook({ ws, onCreated }: { ws: string; onCreated: (hook: Webhook) => void }) {
  const { t } = useI18n();
  const sheets = useSheets(ws);
  const { create } = useWebhookMutations(ws);
  const [url, setUrl] = useState('');
  const [sheet, setSheet] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([...EVENTS]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const chosen = sheet || sheets.data?.[0]?.id || '';
  const submit = async () => {
    try {
      const hook = await create.mutateAsync({ url: url.trim(), sheet: chosen, events });
      setErrors({});
      setUrl('');
      onCreated(hook);
    } catch (error) {
      setErrors(error instanceof ApiError && Object.keys(error.fields).length ? error.fields : { form: errorText(error, t('toast.error')) });
    }
  };
  return (
    <form
      className="card hooks-new"
      aria-label={t('hooks.new')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{t('hooks.new')}</h2>
      <div className="wf-grid">
        <label className="wf-control wide">
          {t('hooks.url')}
          <input className="input" type="url" inputMode="url" placeholder="https://example.com/crm-hook" value={url} onChange={(e) => setUrl(e.target.value)} aria-invalid={Boolean(errors.url)} />
          {errors.url && <span className="error wf-error">{errors.url}</span>}
        </label>
        <label className="wf-control">
          {t('hooks.sheet')}
          <select className="input" value={chosen} onChange={(e) => setSheet(e.target.value)} aria-invalid={Boolean(errors.sheet)}>
            {sheets.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          {errors.sheet && <span className="error wf-error">{errors.sheet}</span>}
        </label>
        <fieldset className="wf-control hooks-events wide">
          <legend>{t('hooks.events')}</legend>
          {EVENTS.map((event) => (
            <label key={event} className="check">
              <input
                type="checkbox"
                checked={events.includes(event)}
                onChange={(e) => setEvents(e.target.checked ? EVENTS.filter((x) => x === event || events.includes(x)) : events.filter((x) => x !== event))}
              />{' '}
              {t(`hooks.event.${event}` as MessageKey)}
            </label>
          ))}
          {errors.events && <span className="error wf-error">{errors.events}</span>}
        </fieldset>
      </div>
      {errors.form && <p className="error">{errors.form}</p>}
      <div>
        <button type="submit" className="button primary" disabled={create.isPending}>
          {t('hooks.add')}
        </button>
      </div>
    </form>
  );
}

function WebhookList({ ws }: { ws: string }) {
  const { t } = useI18n();
  const list = useWebhooks(ws);
  if (list.isPending) return <p className="loading">{t('grid.loading')}</p>;
  if (list.isError) return <p className="error">{list.error.message}</p>;
  if (!list.data.length) return <p className="muted">{t('hooks.empty')}</p>;
  return (
    <ul className="wf-list" aria-label={t('hooks.title')}>
      {list.data.map((hook) => (
        <WebhookRow key={hook.id} ws={ws} hook={hook} />
      ))}
    </ul>
  );
}

function WebhookRow({ ws, hook }: { ws: string; hook: Webhook }) {
  const { t } = useI18n();
  const toast = useToast();
  const { remove } = useWebhookMutations(ws);
  const [open, setOpen] = useState(false);
  return (
    <li className="card hooks-row" data-webhook={hook.id}>
      <div className="hooks-row-head">
        <div className="wf-row-main">
          <span className="wf-name hooks-url">{hook.url}</span>
          <span className="muted">
            {hook.sheet?.name ?? t('hooks.sheetGone')} · {hook.events.map((e) => t(`hooks.event.${e}` as MessageKey)).join(', ')}
          </span>
        </div>
        <div className="wf-row-actions">
          <button type="button" className="button small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {t('hooks.deliveries')}
          </button>
          <button
            type="button"
            className="button small danger"
            onClick={() => {
              if (window.confirm(t('hooks.confirmDelete', { url: hook.url }))) {
                remove.mutateAsync(hook.id).then(() => toast(t('hooks.deleted')), (error: unknown) => toast(errorText(error, t('toast.error')), 'error'));
              }
            }}
          >
            {t('wf.delete')}
          </button>
        </div>
      </div>
      {open && <Deliveries ws={ws} id={hook.id} />}
    </li>
  );
}

function Deliveries({ ws, id }: { ws: string; id: string }) {
  const { t, locale } = useI18n();
  const list = useDeliveries(ws, id);
  if (list.isPending) return <p className="loading">{t('grid.loading')}</p>;
  if (list.isError) return <p className="error">{list.error.message}</p>;
  if (!list.data.length) return <p className="muted">{t('hooks.noDeliveries')}</p>;
  const time = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
  return (
    <ul className="wf-run-list hooks-deliveries" aria-label={t('hooks.deliveries')}>
      {list.data.map((d) => (
        <li key={d.id} className="wf-run">
          <div className="wf-run-head">
            <span className={`chip wf-status wf-status-${d.status === 'delivered' ? 'succeeded' : d.status}`}>{t(`hooks.status.${d.status}` as MessageKey)}</span>
            <span>{t(`hooks.event.${d.event}` as MessageKey)}</span>
            <span className="muted small">#{d.recordId}</span>
            <span className="spacer" />
            <span className="muted small">{time.format(new Date(d.createdAt))}</span>
          </div>
          <p className="muted small">
            {t('hooks.attemptsN', { n: d.attempts })}
            {d.responseStatus !== null && ` ${t('hooks.httpStatus', { status: d.responseStatus })}`}
          </p>
          {d.error && <p className="error small hooks-error">{d.error}</p>}
        </li>
      ))}
    </ul>
  );
}
