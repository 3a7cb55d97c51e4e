import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import type { ImportJson } from './api.js';

const COLORS: Record<ImportJson['status'], string> = { previewed: 'chip-gray', running: 'chip-blue', done: 'chip-green', failed: 'chip-red', cancelled: 'chip-yellow' };

export function StatusBadge({ status }: { status: ImportJson['status'] }) {
  const { t } = useI18n();
  return <span className={`chip ${COLORS[status]}`}>{t(`imports.status.${status}` as MessageKey)}</span>;
}
