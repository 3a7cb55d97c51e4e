import { useEffect, useRef, type RefObject } from 'react';

/** While `open`, a press outside the returned element's box, or Escape, calls `close` (menus, popovers). */
export function useDismiss<E extends HTMLElement>(open: boolean, close: () => void): RefObject<E | null> {
  const box = useRef<E>(null);
  useEffect(() => {
    if (!open) return;
    const dismiss = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !box.current?.contains(event.target as Node)) close();
    };
    document.addEventListener('mousedown', dismiss);
    document.addEventListener('keydown', dismiss);
    return () => {
      document.removeEventListener('mousedown', dismiss);
      document.removeEventListener('keydown', dismiss);
    };
  }, [open, close]);
  return box;
}
