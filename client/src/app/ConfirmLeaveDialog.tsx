import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';

/**
 * The app's question before unsaved changes are lost: a modal alert dialog, "Stay" focused first (Enter or Escape
 * keeps the user on the page), focus kept inside while it is open and given back after.
 */
export function ConfirmLeaveDialog({ onStay, onLeave }: { onStay(): void; onLeave(): void }) {
  const { t } = useI18n();
  const stay = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    stay.current?.focus();
    return () => before?.focus();
  }, []);

  const keys = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onStay();
    } else if (event.key === 'Tab') {
      const buttons = [...(box.current?.querySelectorAll('button') ?? [])];
      const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
      const next = buttons[(at + (event.shiftKey ? buttons.length - 1 : 1)) % buttons.length];
      event.preventDefault();
      next?.focus();
    }
  };

  return (
    <div className="dialog-backdrop leave-backdrop" role="presentation" onClick={onStay}>
      <div
        ref={box}
        className="dialog card leave-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="leave-title"
        aria-describedby="leave-message"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={keys}
      >
        <h2 id="leave-title">{t('leave.title')}</h2>
        <p id="leave-message">{t('leave.message')}</p>
        <div className="form-actions">
          <button ref={stay} type="button" className="button primary" onClick={onStay}>
            {t('leave.stay')}
          </button>
          <button type="button" className="button danger" onClick={onLeave}>
            {t('leave.leave')}
          </button>
        </div>
      </div>
    </div>
  );
}
