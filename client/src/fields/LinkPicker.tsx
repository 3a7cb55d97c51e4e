import { Link } from 'wouter';
import type { LinkRef } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import type { ControlProps } from './controls.js';
import { LinkSearch } from './LinkSearch.js';

/** Linked records as chips (each opens its record), and a search of the linked sheet to add more. */
export function LinkPicker(p: ControlProps) {
  const { t } = useI18n();
  const links = (p.value as LinkRef[] | undefined) ?? [];
  const target = String(p.field.options.sheet);
  const one = p.field.options.relationship === 'many_to_one' || p.field.options.relationship === 'one_to_one';
  return (
    <div className="link-picker" id={p.id}>
      <span className="chips">
        {links.map((l) => (
          <span key={l.id} className="chip chip-link">
            <Link href={`/w/${p.workspaceId}/s/${target}/r/${l.id}`}>{l.title || l.id}</Link>
            <button type="button" aria-label={t('link.remove', { name: l.title || l.id })} onClick={() => p.onChange(links.filter((x) => x.id !== l.id))}>
              ×
            </button>
          </span>
        ))}
      </span>
      {(!one || links.length === 0) && <LinkSearch workspaceId={p.workspaceId} sheet={target} linked={links} onPick={(link) => p.onChange(one ? [link] : [...links, link])} />}
    </div>
  );
}
