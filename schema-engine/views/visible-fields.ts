/** The columns a view shows (pure, no imports: the grid and the export share it). */
export interface ColumnSettings {
  readonly hiddenFields?: readonly string[] | undefined;
  readonly fieldOrder?: readonly string[] | undefined;
}

/**
 * The fields a view shows, in its order: the primary field first (never hidden), then the view's order, then the
 * fields it does not order yet in sheet order.
 */
export function visibleFields<F extends { readonly id: string }>(fields: readonly F[], primaryFieldId: string | null | undefined, config: ColumnSettings): F[] {
  const hidden = new Set(config.hiddenFields ?? []);
  const order = config.fieldOrder ?? [];
  const rank = (f: F) => (f.id === primaryFieldId ? -1 : order.includes(f.id) ? order.indexOf(f.id) : order.length + fields.indexOf(f));
  return fields.filter((f) => !hidden.has(f.id) || f.id === primaryFieldId).sort((a, b) => rank(a) - rank(b));
}
