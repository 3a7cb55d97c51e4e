import { useRef } from 'react';
import { Link } from 'wouter';
import type { LinkRef } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import type { ControlProps } from './controls.js';
import { LinkSearch } from './LinkSearch.js';

/**
 * Linked records as chips (each opens its record), and a search of the linked sheet to add more; a field holding one
 * link replaces it with the pick, which ends the edit (a grid cell saves it at once).
 */
export function LinkPicker(p: ControlProps) {
  const { t } = useI18n();
  const links = (p.value as LinkRef[] | undefined) ?? [];
  const target = String(p.field.options.sheet);
  const one = p.field.options.relationship === 'many_to_one' || p.field.options.relationship === 'one_to_one';
  const search = useRef<HTMLInputElement>(null);
  return (
    <div className="link-picker" id={p.id}>
      {links.length > 0 && (
        <span className="chips">
          {links.map((l) => (
            <span key={l.id} className="chip chip-link">
              <Link href={`/w/${p.workspaceId}/s/${target}/r/${l.id}`}>{l.title || l.id}</Link>
              <button
                type="button"
                aria-label={t('link.remove', { name: l.title || l.id })}
                // The focus stays in the search (a removed button would take it out of a grid cell's editor).
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => {
                  p.onChange(links.filter((x) => x.id !== l.id));
                  search.current?.focus();
                }}
              >
                ×
              </button>
            </span>
          ))}
        </span>
      )}
      {!p.readOnly && (
        <LinkSearch
          workspaceId={p.workspaceId}
          sheet={target}
          linked={links}
          autoFocus={p.autoFocus}
          invalid={p.invalid}
          inputRef={search}
          onPick={(link) => {
            const next = one ? [link] : [...links, link];
            p.onChange(next);
            if (one) p.onDone?.(next);
          }}
        />
      )}
    </div>
  );
}
