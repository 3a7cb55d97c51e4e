import { useForm } from '../api/forms.js';
import { ApiError } from '../api/http.js';
import { useSheets } from '../api/queries.js';
import type { Sheet } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { Designer } from './Designer.js';
import { FormsList } from './FormsList.js';

/** `/w/:ws/s/:sheet/forms` lists the sheet's forms; `/forms/:form` opens one in the designer. */
export function DesignerPage({ ws, sheet: sheetRef, form }: { ws: string; sheet: string; form?: string }) {
  const { t } = useI18n();
  const sheets = useSheets(ws);
  const sheet = sheets.data?.find((s) => s.id === sheetRef || s.name === sheetRef);
  if (!sheet) return <p className="loading">{sheets.isError ? t('toast.error') : t('grid.loading')}</p>;
  return form ? <FormLoader ws={ws} sheet={sheet} formId={form} /> : <FormsList ws={ws} sheet={sheet} />;
}

function FormLoader({ ws, sheet, formId }: { ws: string; sheet: Sheet; formId: string }) {
  const { t } = useI18n();
  const form = useForm(ws, sheet.id, formId);
  if (form.isError) return <p className="error" role="alert">{form.error instanceof ApiError ? form.error.message : t('toast.error')}</p>;
  if (!form.data) return <p className="loading">{t('grid.loading')}</p>;
  return <Designer key={form.data.id} ws={ws} sheet={sheet} form={form.data} />;
}
