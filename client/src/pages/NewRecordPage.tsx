import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { sheetAccessOf, useAccess } from '../api/access.js';
import { keys, useSheets } from '../api/queries.js';
import { useToast } from '../app/toasts.js';
import { RecordForm } from '../form/RecordForm.js';
import { useI18n } from '../i18n/i18n.js';

export function NewRecordPage({ ws, sheet: sheetRef }: { ws: string; sheet: string }) {
  const { t } = useI18n();
  const sheet = useSheets(ws).data?.find((s) => s.id === sheetRef || s.name === sheetRef);
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const toast = useToast();
  const access = useAccess(ws);
  if (!sheet) return <p className="loading">{t('grid.loading')}</p>;
  if (access && !sheetAccessOf(access, sheet.id).create) return <p className="error">{t('team.cannotCreate')}</p>;
  return (
    <section className="record-page">
      <h1>{t('form.newTitle', { sheet: sheet.name })}</h1>
      <RecordForm
        workspaceId={ws}
        sheet={sheet}
        onSaved={(record) => {
          void client.invalidateQueries({ queryKey: keys.records(ws, sheet.id) });
          toast(t('form.saved'));
          navigate(`/w/${ws}/s/${sheet.id}/r/${record.id}`);
        }}
        onCancel={() => navigate(`/w/${ws}/s/${sheet.id}`)}
      />
    </section>
  );
}
