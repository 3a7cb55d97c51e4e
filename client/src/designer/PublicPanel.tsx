import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSetPublic, type Form, type PublicInput } from '../api/forms.js';
import { api, ApiError } from '../api/http.js';
import { recordPath, useSheets } from '../api/queries.js';
import type { Field, LinkRef, RecordJson } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { FieldControl } from '../fields/controls.js';
import { formatValue } from '../fields/format.js';
import { useI18n } from '../i18n/i18n.js';
import { useDesigner } from './context.js';
import { placedFields } from './layout-tree.js';

/** A stored ISO time as a datetime-local input shows it (local time), and back. */
const toLocalInput = (iso: string | null) => (iso ? new Date(new Date(iso).getTime() - new Date(iso).getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);

/**
 * The public form: on or off, its address, a password, a closing date, what follows a submission, and the only
 * records each link field on the form offers to the public. The public form shows the published version.
 */
export function PublicPanel({ form }: { form: Form }) {
  const { t } = useI18n();
  const toast = useToast();
  const { ws, sheet, state } = useDesigner();
  const settings = form.public;
  const setPublic = useSetPublic(ws, sheet.id, form.id);
  const [enabled, setEnabled] = useState(settings?.enabled ?? false);
  const [password, setPassword] = useState('');
  const [clearPassword, setClearPassword] = useState(false);
  const [closesAt, setClosesAt] = useState(toLocalInput(settings?.closesAt ?? null));
  const [after, setAfter] = useState<'thanks' | 'redirect'>(settings?.redirectUrl ? 'redirect' : 'thanks');
  const [thankYou, setThankYou] = useState(settings?.thankYou ?? '');
  const [redirectUrl, setRedirectUrl] = useState(settings?.redirectUrl ?? '');
  const [allowed, setAllowed] = useState<Record<string, LinkRef[] | undefined>>({});
  const [error, setError] = useState('');
  const placed = new Set(placedFields(state.doc.layout));
  const links = sheet.fields.filter((f) => f.type === 'link' && placed.has(f.id));
  const url = settings ? `${window.location.origin}/f/${settings.token}` : null;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    const input: PublicInput = {
      enabled,
      closesAt: fromLocalInput(closesAt),
      thankYou: after === 'thanks' && thankYou.trim() ? thankYou : null,
      redirectUrl: after === 'redirect' && redirectUrl.trim() ? redirectUrl.trim() : null,
      ...(password ? { password } : clearPassword ? { password: null } : {}),
    };
    const changed = Object.entries(allowed).filter((e): e is [string, LinkRef[]] => e[1] !== undefined);
    if (changed.length) input.allowedLinks = { ...settings?.allowedLinks, ...Object.fromEntries(changed.map(([id, refs]) => [id, refs.map((r) => r.id)])) };
    try {
      await setPublic.mutateAsync(input);
      setPassword('');
      setClearPassword(false);
      setAllowed({});
      toast(t('designer.publicSaved'));
    } catch (err) {
      setError(err instanceof ApiError ? (Object.values(err.fields)[0] ?? err.message) : t('toast.error'));
    }
  };

  return (
    <form className="designer-public" onSubmit={save}>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> {t('designer.publicEnabled')}
      </label>
      {url && (
        <div className="designer-public-url">
          <input className="input mono" readOnly value={url} aria-label={t('designer.publicUrl')} onFocus={(e) => e.target.select()} />
          <button type="button" className="button small" onClick={() => void navigator.clipboard?.writeText(url).then(() => toast(t('designer.copied')))}>
            {t('designer.copy')}
          </button>
          <a className="button small" href={url} target="_blank" rel="noreferrer">
            {t('designer.open')}
          </a>
        </div>
      )}
      <p className="hint">{form.publishedVersion === null ? t('designer.publicNeedsPublish') : t('designer.publicShowsPublished')}</p>
      <label>
        {settings?.hasPassword ? t('designer.newPassword') : t('designer.password')}
        <input className="input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} placeholder={settings?.hasPassword ? t('designer.passwordKept') : t('designer.noPassword')} />
      </label>
      {settings?.hasPassword && (
        <label className="check">
          <input type="checkbox" checked={clearPassword} onChange={(e) => setClearPassword(e.target.checked)} /> {t('designer.removePassword')}
        </label>
      )}
      <label>
        {t('designer.closesAt')}
        <input className="input" type="datetime-local" value={closesAt} onChange={(e) => setClosesAt(e.target.value)} />
      </label>
      <fieldset className="designer-after">
        <legend>{t('designer.afterSubmit')}</legend>
        <label className="check">
          <input type="radio" name="after" checked={after === 'thanks'} onChange={() => setAfter('thanks')} /> {t('designer.thankYou')}
        </label>
        {after === 'thanks' && <textarea className="input" rows={3} value={thankYou} placeholder={t('public.thanks')} onChange={(e) => setThankYou(e.target.value)} aria-label={t('designer.thankYou')} />}
        <label className="check">
          <input type="radio" name="after" checked={after === 'redirect'} onChange={() => setAfter('redirect')} /> {t('designer.redirect')}
        </label>
        {after === 'redirect' && <input className="input" type="url" value={redirectUrl} placeholder="https://" onChange={(e) => setRedirectUrl(e.target.value)} aria-label={t('designer.redirect')} />}
      </fieldset>
      {links.map((field) => (
        <AllowedLinks key={field.id} field={field} ids={settings?.allowedLinks[field.id] ?? []} value={allowed[field.id]} onChange={(refs) => setAllowed({ ...allowed, [field.id]: refs })} />
      ))}
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" className="button primary" disabled={setPublic.isPending}>
        {t('designer.savePublic')}
      </button>
    </form>
  );
}

/** The records a link field may offer on the public form (none: the public cannot fill it). */
function AllowedLinks({ field, ids, value, onChange }: { field: Field; ids: string[]; value: LinkRef[] | undefined; onChange(refs: LinkRef[]): void }) {
  const { t, locale } = useI18n();
  const { ws } = useDesigner();
  const target = useSheets(ws).data?.find((s) => s.id === field.options.sheet);
  const primary = target?.fields.find((f) => f.id === target.primaryFieldId);
  // The stored ids with their titles, read once from the linked sheet.
  const stored = useQuery({
    queryKey: ['allowed-links', ws, target?.id, ids],
    enabled: target !== undefined && ids.length > 0,
    staleTime: Infinity,
    queryFn: () =>
      Promise.all(
        ids.map((id) =>
          api<RecordJson>('GET', recordPath(ws, target!.id, id))
            .then((r): LinkRef => ({ id, title: primary ? formatValue(primary, r.fields[primary.name], locale) || id : id }))
            .catch((): LinkRef => ({ id, title: id })),
        ),
      ),
  });
  const refs = value ?? stored.data ?? ids.map((id) => ({ id, title: id }));
  return (
    <div className="form-row">
      <label htmlFor={`allowed-${field.id}`}>{t('designer.allowedLinks', { name: field.name })}</label>
      <FieldControl field={{ ...field, options: { ...field.options, relationship: 'many_to_many' } }} value={refs} onChange={(v) => onChange(v as LinkRef[])} workspaceId={ws} id={`allowed-${field.id}`} invalid={false} />
      <p className="hint">{t('designer.allowedLinksHint')}</p>
    </div>
  );
}
