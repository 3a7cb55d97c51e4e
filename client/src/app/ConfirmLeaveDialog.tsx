import { useI18n } from '../i18n/i18n.js';
import { ConfirmDialog } from './ConfirmDialog.js';

/** The question before unsaved changes are lost: "Stay" focused first (Enter or Escape keeps the user on the page). */
export function ConfirmLeaveDialog({ onStay, onLeave }: { onStay(): void; onLeave(): void }) {
  const { t } = useI18n();
  return <ConfirmDialog title={t('leave.title')} message={t('leave.message')} keepLabel={t('leave.stay')} proceedLabel={t('leave.leave')} onKeep={onStay} onProceed={onLeave} />;
}
