import { memo } from 'react';
import type { Field } from '../api/types.js';
import { formatValue } from '../fields/format.js';
import { useI18n } from '../i18n/i18n.js';
import type { GroupHeaderEntry } from './group-rows.js';
import { columnValue, type SummaryRequest } from './grid-summary.js';
import { summaryText } from './GridFooter.js';

interface Props {
  group: GroupHeaderEntry;
  field: Field;
  /** The columns whose summaries the header repeats for its group. */
  fields: readonly Field[];
  request: SummaryRequest;
  index: number;
  start: number;
  height: number;
  width: number;
  onToggle(key: string): void;
}

/** A group's header row in a grouped grid: its value and count, the group's column summaries, and a collapse toggle. */
export const GroupHeader = memo(function GroupHeader({ group, field, fields, request, index, start, height, width, onToggle }: Props) {
  const { t, locale } = useI18n();
  const name = group.value === null ? t('grid.groupEmpty') : formatValue(field, group.value, locale);
  const sums = fields.flatMap((f) => {
    const text = summaryText(f, request.kinds.get(f.id), columnValue(request, f.id, group.values), locale);
    return text ? [{ f, text }] : [];
  });
  return (
    <div role="row" className="grid-group" style={{ height, width, transform: `translateY(${start}px)` }} aria-rowindex={index + 1} data-group={name}>
      <button type="button" className="group-toggle" aria-expanded={!group.collapsed} aria-label={t('grid.groupToggle', { name })} onClick={() => onToggle(group.key)}>
        {group.collapsed ? '▸' : '▾'}
      </button>
      <strong className="group-name">{name}</strong>
      {group.count !== undefined && <span className="group-count">{t('grid.groupCount', { count: group.count })}</span>}
      {sums.map(({ f, text }) => (
        <span key={f.id} className="group-sum">
          {f.name}: {text}
        </span>
      ))}
    </div>
  );
});
