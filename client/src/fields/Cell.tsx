import type { Choice, Field, LinkRef } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { formatValue, shownType } from './format.js';

export function ChoiceChip({ name, choices }: { name: string; choices: Choice[] }) {
  const color = choices.find((c) => c.name === name)?.color ?? 'gray';
  return <span className={`chip chip-${color}`}>{name}</span>;
}

/** A value as the grid, cards and the record page show it: chips for choices and links, text otherwise. */
export function CellValue({ field, value, onOpenLink }: { field: Field; value: unknown; onOpenLink?: (link: LinkRef) => void }) {
  const { locale } = useI18n();
  if (value === undefined || value === null) return null;
  const shown = shownType(field);
  const choices = ((shown.options.choices ?? field.options.choices) as Choice[] | undefined) ?? [];
  if (field.type === 'link') {
    return (
      <span className="chips">
        {(value as LinkRef[]).map((link) =>
          onOpenLink ? (
            <button type="button" key={link.id} className="chip chip-link" onClick={() => onOpenLink(link)}>
              {link.title || link.id}
            </button>
          ) : (
            <span key={link.id} className="chip chip-link">
              {link.title || link.id}
            </span>
          ),
        )}
      </span>
    );
  }
  if (shown.type === 'single_select' && !shown.list) return <ChoiceChip name={String(value)} choices={choices} />;
  if (shown.type === 'multi_select' || (shown.type === 'single_select' && shown.list)) {
    const names = (Array.isArray(value) ? value.flat() : [value]) as string[];
    return (
      <span className="chips">
        {names.map((n, i) => (
          <ChoiceChip key={`${n}-${i}`} name={n} choices={choices} />
        ))}
      </span>
    );
  }
  if (shown.type === 'attachment' && !shown.list) {
    return (
      <span className="chips">
        {(value as { id: string; name: string; url: string }[]).map((f) => (
          <a key={f.id} className="chip" href={f.url} target="_blank" rel="noreferrer">
            📎 {f.name}
          </a>
        ))}
      </span>
    );
  }
  if (shown.type === 'url' && !shown.list) {
    const href = /^https?:\/\//i.test(String(value)) ? String(value) : `https://${String(value)}`;
    return (
      <a href={href} target="_blank" rel="noreferrer">
        {String(value)}
      </a>
    );
  }
  const numeric = ['number', 'currency', 'percent', 'rating'].includes(shown.type);
  return <span className={numeric ? 'num' : undefined}>{formatValue(field, value, locale)}</span>;
}
