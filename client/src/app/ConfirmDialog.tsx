import { useEffect, useId, useRef, type KeyboardEvent } from 'react';

interface Props {
  title: string;
  message: string;
  /** The button that keeps things as they are: focused first, and what Enter, Escape and a click outside choose. */
  keepLabel: string;
  /** The button that goes ahead (shown as dangerous). */
  proceedLabel: string;
  onKeep(): void;
  onProceed(): void;
}

/**
 * The app's question before something is lost or removed: a modal alert dialog, the safe answer focused first, focus
 * kept inside while it is open and given back after.
 */
export function ConfirmDialog({ title, message, keepLabel, proceedLabel, onKeep, onProceed }: Props) {
  const keep = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    keep.current?.focus();
    return () => before?.focus();
  }, []);

  const keys = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onKeep();
    } else if (event.key === 'Tab') {
      const buttons = [...(box.current?.querySelectorAll('button') ?? [])];
      const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
      const next = buttons[(at + (event.shiftKey ? buttons.length - 1 : 1)) % buttons.length];
      event.preventDefault();
      next?.focus();
    }
  };

  return (
    <div className="dialog-backdrop confirm-backdrop" role="presentation" onClick={onKeep}>
      <div
        ref={box}
        className="dialog card confirm-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-message`}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={keys}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        <p id={`${id}-message`}>{message}</p>
        <div className="form-actions">
          <button ref={keep} type="button" className="button primary" onClick={onKeep}>
            {keepLabel}
          </button>
          <button type="button" className="button danger" onClick={onProceed}>
            {proceedLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
