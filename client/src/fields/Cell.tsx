import type { Field, LinkRef } from '../api/types.js';
import { clientType } from '../field-types/index.js';
import { useI18n } from '../i18n/i18n.js';
import { formatValue, shownType } from './format.js';

/** A value as the grid, cards and the record page show it: the type module's cell (chips, links), text otherwise. */
export function CellValue({ field, value, onOpenLink }: { field: Field; value: unknown; onOpenLink?: (link: LinkRef) => void }) {
  const { locale } = useI18n();
  const shown = shownType(field);
  const module = clientType(shown.type);
  if ((value === undefined || value === null) && !module.valueless) return null;
  const Cell = module.cell && (!shown.list || module.listCell) ? module.cell : undefined;
  if (Cell) return <Cell field={field} value={value} options={shown.options} locale={locale} onOpenLink={onOpenLink} />;
  return <span className={module.numeric ? 'num' : undefined}>{formatValue(field, value, locale)}</span>;
}
