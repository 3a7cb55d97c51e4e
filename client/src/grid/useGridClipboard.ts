import { useEffect, type RefObject } from 'react';
import { toHtmlTable, toTsv } from './tsv.js';
import type { CellPos, CellRange } from './selection.js';
import type { useGridCommands } from './useGridCommands.js';

/** What the clipboard needs of the grid, read when the event comes. */
interface GridState {
  active: CellPos | null;
  editing: boolean;
  range: CellRange | null;
  commands: ReturnType<typeof useGridCommands>;
}

/**
 * Copy, cut and paste of the selected range. They reach the document (the grid is no text field) and are the grid's
 * while it has the focus and no cell is edited (an editor's input keeps its own clipboard).
 */
export function useGridClipboard(gridRef: RefObject<HTMLElement | null>, current: RefObject<GridState>) {
  useEffect(() => {
    const ours = () => {
      const { active: at, editing: edited } = current.current;
      const focus = document.activeElement;
      return at !== null && !edited && focus instanceof Element && gridRef.current?.contains(focus) === true && !focus.closest('.grid-header, .grid-report');
    };
    const onCopy = (e: ClipboardEvent) => {
      const { range: selected, commands: run } = current.current;
      if (!ours() || !selected || !e.clipboardData) return;
      const cells = run.copy(selected);
      e.clipboardData.setData('text/plain', toTsv(cells));
      e.clipboardData.setData('text/html', toHtmlTable(cells));
      e.preventDefault();
      if (e.type === 'cut') void run.clear(selected);
    };
    const onPaste = (e: ClipboardEvent) => {
      const { range: selected, commands: run } = current.current;
      const text = e.clipboardData?.getData('text/plain');
      if (!ours() || !selected || !text) return;
      e.preventDefault();
      void run.paste(text, selected);
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [gridRef, current]);
}
