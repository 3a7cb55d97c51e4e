import { memo } from 'react';
import type { Field } from '../api/types.js';
import { formatScalar, shownType } from '../fields/format.js';
import { useI18n } from '../i18n/i18n.js';
import { columnValue, countsRecords, summaryChoices, summaryOf, type ColumnSummary, type SummaryRequest } from './grid-summary.js';

/** A column's summary number as text: counts as whole numbers, the other aggregates in the column's format. */
export function summaryText(field: Field, kind: ColumnSummary | undefined, value: number | null | undefined, locale: string): string {
  if (value === undefined || value === null) return '';
  if (countsRecords(kind)) return formatScalar('number', {}, value, locale);
  const shown = shownType(field);
  return formatScalar(shown.type, shown.options, value, locale);
}

interface Props {
  fields: readonly Field[];
  widths: readonly number[];
  totalWidth: number;
  request: SummaryRequest;
  chosen: Readonly<Record<string, ColumnSummary>> | undefined;
  /** The summary over every row the grid's filter and search select. */
  total: readonly (number | null)[] | undefined;
  onChoose(field: Field, summary: ColumnSummary): void;
}

/**
 * The grid's summary row, kept at the bottom of the scroller and scrolled sideways with the columns: per column a
 * choice of what it shows (kept in the view) and that number over all the rows the grid's filter and search select.
 */
export const GridFooter = memo(function GridFooter({ fields, widths, totalWidth, request, chosen, total, onChoose }: Props) {
  const { t, locale } = useI18n();
  return (
    // A group, not a row of the grid: the grid's rows are its records (and group headers).
    <div className="grid-summary" role="group" aria-label={t('grid.summary')} style={{ width: totalWidth }}>
      <div className="cell rownum" aria-hidden="true">
        {t('grid.summary')}
      </div>
      {fields.map((field, col) => {
        const kind = summaryOf(field, chosen);
        const text = summaryText(field, kind, columnValue(request, field.id, total), locale);
        return (
          <div key={field.id} className="cell summary-cell" style={{ width: widths[col] }}>
            {summaryChoices(field).length > 1 && (
              <select className="summary-choice" aria-label={t('grid.summaryOf', { name: field.name })} value={kind} onChange={(e) => onChoose(field, e.target.value as ColumnSummary)}>
                {summaryChoices(field).map((choice) => (
                  <option key={choice} value={choice}>
                    {t(`grid.summary.${choice}`)}
                  </option>
                ))}
              </select>
            )}
            <output className="num" data-field={field.name}>
              {text}
            </output>
          </div>
        );
      })}
    </div>
  );
});
