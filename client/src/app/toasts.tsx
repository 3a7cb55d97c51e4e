import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

type Kind = 'info' | 'error';
/** A button in the toast ("Undo"): pressing it runs `run` and closes the toast. */
export interface ToastAction {
  label: string;
  run(): void;
}
export interface ToastOptions {
  action?: ToastAction;
  /** How long it stays, ms (default 3 s, errors 8 s). */
  duration?: number;
}
type Toast = { id: number; message: string; kind: Kind; action?: ToastAction | undefined };
type Show = (message: string, kind?: Kind, options?: ToastOptions) => void;
const Context = createContext<Show>(() => undefined);

/** Short messages in a corner (errors stay longer), some with an action; announced to screen readers. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const close = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const show = useCallback<Show>(
    (message, kind = 'info', options = {}) => {
      const id = Date.now() + Math.random();
      setToasts((list) => [...list.slice(-3), { id, message, kind, action: options.action }]);
      setTimeout(() => close(id), options.duration ?? (kind === 'error' ? 8000 : 3000));
    },
    [close],
  );
  return (
    <Context.Provider value={show}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`}>
            <span>{t.message}</span>
            {t.action && (
              <button
                type="button"
                className="toast-action"
                onClick={() => {
                  close(t.id);
                  t.action!.run();
                }}
              >
                {t.action.label}
              </button>
            )}
          </div>
        ))}
      </div>
    </Context.Provider>
  );
}

export const useToast = () => useContext(Context);
