import { useHistory } from '../api/queries.js';
import type { Sheet } from '../api/types.js';
import { formatValue } from '../fields/format.js';
import { useI18n } from '../i18n/i18n.js';

/** Who changed what (a person, or a workflow acting for one), when: newest first, each change as "from → to" in the field's own format. */
export function History({ ws, sheet, recordId }: { ws: string; sheet: Sheet; recordId: string }) {
  const { t, locale } = useI18n();
  const history = useHistory(ws, sheet.id, recordId);
  const show = (name: string, value: unknown) => {
    const field = sheet.fields.find((f) => f.name === name);
    if (value === null || value === undefined) return t('value.empty');
    return field ? formatValue(field, value, locale) : JSON.stringify(value);
  };
  return (
    <ol className="timeline">
      {(history.data ?? []).map((item, i) => {
        const person = item.by?.name ?? t('history.someone');
        // A workflow's run says so, by the workflow's name; whose access it acted with comes after.
        const who = item.via ? t('history.workflow', { name: item.via.name }) : person;
        const names = Object.keys(item.changes);
        return (
          <li key={i}>
            <p>
              <strong>{t(`history.${item.action}`, { who, fields: names.join(', ') })}</strong>{' '}
              {item.via && <span className="muted">({t('history.actingFor', { who: person })})</span>}{' '}
              <time dateTime={item.at}>{new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(item.at))}</time>
            </p>
            {item.action === 'update' && (
              <ul>
                {names.map((name) => (
                  <li key={name}>
                    {name}: <del>{show(name, item.changes[name]!.from)}</del> → <ins>{show(name, item.changes[name]!.to)}</ins>
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}
