import { useCallback, useState } from 'react';
import { Link } from 'wouter';
import { sheetAccessOf, useAccess } from '../api/access.js';
import { useSheets } from '../api/queries.js';
import type { Sheet } from '../api/types.js';
import { useDismiss } from '../app/use-dismiss.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * The record page's "New ▾" menu: a record of each sheet that links to one of this sheet's records (a quote, an
 * activity of an opportunity), started linked to this record and with what the relationship carries (NewRecordPage).
 */
export function NewLinkedMenu({ ws, sheet, recordId }: { ws: string; sheet: Sheet; recordId: string }) {
  const { t } = useI18n();
  const sheets = useSheets(ws).data ?? [];
  const access = useAccess(ws);
  const [open, setOpen] = useState(false);
  const box = useDismiss<HTMLDivElement>(open, useCallback(() => setOpen(false), []));
  const items = sheet.fields.flatMap((field) => {
    if (field.type !== 'link' || (field.options.relationship !== 'one_to_many' && field.options.relationship !== 'many_to_many')) return [];
    const target = sheets.find((s) => s.id === field.options.sheet);
    const via = target?.fields.find((f) => f.id === field.options.inverseField);
    if (!target || !via || (access && !sheetAccessOf(access, target.id).create)) return [];
    return [{ key: field.id, label: field.name, href: `/w/${ws}/s/${target.id}/new?from=${recordId}&via=${via.id}` }];
  });
  if (!items.length) return null;
  return (
    <div className="documents-menu" ref={box}>
      <button type="button" className="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('record.new')} ▾
      </button>
      {open && (
        <ul className="menu" role="menu" aria-label={t('record.new')}>
          {items.map((item) => (
            <li role="none" key={item.key}>
              <Link role="menuitem" href={item.href}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
