import { useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Field, Sheet, ViewConfig } from '../api/types.js';
import { visibleFields as shownFields } from '../../../schema-engine/views/visible-fields.js';
import { columnLefts } from './column-window.js';

const DEFAULT_WIDTH = 180;
const PRIMARY_WIDTH = 220;
const MIN_WIDTH = 60;
/** The row number's column (with the row's tick box), and the "add field" one for admins. */
const ROWNUM_WIDTH = 64;
const ADD_FIELD_WIDTH = 48;

export type ColumnLayout = Pick<ViewConfig, 'hiddenFields' | 'fieldOrder' | 'fieldWidths'>;

/** What the header does to the columns: the same functions across renders, so the header skips the grid's scroll renders. */
export interface HeaderActions {
  sort(sort: string): void;
  hide(field: Field): void;
  /** The new order of the shown columns' ids. */
  reorder(order: string[]): void;
  /** A resize handle was pressed: the column follows the pointer, the view gets the width on release. */
  resizeStart(field: Field, event: ReactPointerEvent): void;
}

/** The fields a view shows, in its order (the export lists the same columns). */
export const visibleFields = (sheet: Sheet, config: ViewConfig): Field[] => shownFields(sheet.fields, sheet.primaryFieldId, config);

/** The grid's columns: shown fields, their widths (live while one is resized) and the header's actions on them. */
export function useColumns(sheet: Sheet, config: ViewConfig, canDesign: boolean, onSort: (sort: string) => void, onLayout: (layout: ColumnLayout) => void) {
  // The page builds a new config object on every render: depending on its parts keeps the fields (and so every
  // memoized row) the same across a keystroke in the search box.
  const { hiddenFields, fieldOrder } = config;
  const fields = useMemo(() => visibleFields(sheet, { hiddenFields, fieldOrder }), [sheet, hiddenFields, fieldOrder]);
  const [liveWidth, setLiveWidth] = useState<{ id: string; width: number } | null>(null);
  const widths = useMemo(
    () => fields.map((f) => (liveWidth?.id === f.id ? liveWidth.width : (config.fieldWidths?.[f.id] ?? (f.id === sheet.primaryFieldId ? PRIMARY_WIDTH : DEFAULT_WIDTH)))),
    [fields, liveWidth, config.fieldWidths, sheet.primaryFieldId],
  );
  const lefts = useMemo(() => columnLefts(widths, ROWNUM_WIDTH), [widths]);
  const totalWidth = widths.reduce((w, x) => w + x, ROWNUM_WIDTH + (canDesign ? ADD_FIELD_WIDTH : 0));

  const latest = useRef({ fields, widths, config, onSort, onLayout });
  latest.current = { fields, widths, config, onSort, onLayout };
  const actions = useMemo<HeaderActions>(() => {
    const layout = (): ColumnLayout => {
      const { config, fields } = latest.current;
      return { hiddenFields: config.hiddenFields, fieldOrder: fields.map((f) => f.id), fieldWidths: config.fieldWidths };
    };
    return {
      sort: (sort) => latest.current.onSort(sort),
      hide: (field) => latest.current.onLayout({ ...layout(), hiddenFields: [...(latest.current.config.hiddenFields ?? []), field.id] }),
      reorder: (fieldOrder) => latest.current.onLayout({ ...layout(), fieldOrder }),
      resizeStart: (field, down) => {
        down.preventDefault();
        const start = latest.current.widths[latest.current.fields.indexOf(field)] ?? DEFAULT_WIDTH;
        const x0 = down.clientX;
        const widthAt = (e: PointerEvent) => Math.max(MIN_WIDTH, Math.round(start + e.clientX - x0));
        const onMove = (e: PointerEvent) => setLiveWidth({ id: field.id, width: widthAt(e) });
        const onUp = (e: PointerEvent) => {
          window.removeEventListener('pointermove', onMove);
          window.removeEventListener('pointerup', onUp);
          setLiveWidth(null);
          latest.current.onLayout({ ...layout(), fieldWidths: { ...(latest.current.config.fieldWidths ?? {}), [field.id]: widthAt(e) } });
        };
        window.addEventListener('pointermove', onMove);
        window.addEventListener('pointerup', onUp);
      },
    };
  }, []);

  return { fields, widths, lefts, totalWidth, actions };
}
