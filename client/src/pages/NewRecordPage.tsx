import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation, useSearch } from 'wouter';
import { sheetAccessOf, useAccess } from '../api/access.js';
import { api } from '../api/http.js';
import { keys, recordPath, useSheets } from '../api/queries.js';
import type { RecordJson } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { carriedValues } from '../form/carried.js';
import { RecordForm } from '../form/RecordForm.js';
import { recordTitle } from '../record/title.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * A new record's form. Started from a record's related list (`?from=<record>&via=<link field of this sheet>`), it
 * starts linked to that record and with what the relationship carries (a quote from an opportunity: its account).
 */
export function NewRecordPage({ ws, sheet: sheetRef }: { ws: string; sheet: string }) {
  const { t, locale } = useI18n();
  const sheets = useSheets(ws).data;
  const sheet = sheets?.find((s) => s.id === sheetRef || s.name === sheetRef);
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const toast = useToast();
  const access = useAccess(ws);
  const query = new URLSearchParams(useSearch());
  const via = sheet?.fields.find((f) => f.id === query.get('via') && f.type === 'link');
  const parentSheet = sheets?.find((s) => s.id === via?.options.sheet);
  const from = query.get('from');
  const parent = useQuery({
    queryKey: keys.record(ws, parentSheet?.id ?? '', from ?? ''),
    queryFn: () => api<RecordJson>('GET', recordPath(ws, parentSheet!.id, from!)),
    enabled: !!parentSheet && !!from,
  });
  if (!sheet || (parentSheet && from && parent.isPending)) return <p className="loading">{t('grid.loading')}</p>;
  if (access && !sheetAccessOf(access, sheet.id).create) return <p className="error">{t('team.cannotCreate')}</p>;
  const defaults =
    via && parentSheet && parent.data
      ? carriedValues(sheet, via, parentSheet, parent.data, recordTitle(parentSheet, parent.data, locale))
      : undefined;
  return (
    <section className="record-page">
      <h1>{t('form.newTitle', { sheet: sheet.name })}</h1>
      <RecordForm
        workspaceId={ws}
        sheet={sheet}
        defaults={defaults}
        onSaved={(record) => {
          void client.invalidateQueries({ queryKey: keys.records(ws, sheet.id) });
          if (parentSheet && from) void client.invalidateQueries({ queryKey: keys.record(ws, parentSheet.id, from) });
          toast(t('form.saved'));
          navigate(`/w/${ws}/s/${sheet.id}/r/${record.id}`);
        }}
        onCancel={() => navigate(parentSheet && from ? `/w/${ws}/s/${parentSheet.id}/r/${from}` : `/w/${ws}/s/${sheet.id}`)}
      />
    </section>
  );
}
