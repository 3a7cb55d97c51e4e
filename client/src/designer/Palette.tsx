import { FIELD_TYPE_IDS } from '../../../schema-engine/field-types/type-ids.js';
import type { Field } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { typeName } from './announce.js';
import { useDesigner } from './context.js';
import type { DragItem } from './dnd-model.js';
import { useDesignerDraggable } from './dnd.js';
import { placedFields } from './layout-tree.js';

/**
 * What can go on the form: the sheet's fields (each once; placed ones are marked), layout elements, related lists
 * of link fields, and new fields of every type. Drag an entry onto the canvas, or click it to add it at the end.
 */
export function Palette({ onNewField }: { onNewField(type: string): void }) {
  const { t } = useI18n();
  const { sheet, state } = useDesigner();
  const placed = new Set(placedFields(state.doc.layout));
  const links = sheet.fields.filter((f) => f.type === 'link');
  return (
    <aside className="designer-palette" aria-label={t('designer.palette')}>
      <h2>{t('designer.sheetFields')}</h2>
      <ul className="designer-palette-list">
        {sheet.fields.map((f) => (
          <PaletteEntry key={f.id} item={{ type: 'palette', element: { kind: 'field', field: f.id } }} label={f.name} hint={typeName(f.type, t)} placed={placed.has(f.id)} />
        ))}
      </ul>
      <h2>{t('designer.layoutElements')}</h2>
      <ul className="designer-palette-list">
        <PaletteEntry item={{ type: 'palette', element: { kind: 'heading', text: t('designer.heading') } }} label={t('designer.heading')} icon="H" />
        <PaletteEntry item={{ type: 'palette', element: { kind: 'paragraph', text: t('designer.paragraphText') } }} label={t('designer.paragraph')} icon="¶" />
        <PaletteEntry item={{ type: 'palette', element: { kind: 'divider' } }} label={t('designer.divider')} icon="—" />
        {links.map((f: Field) => (
          <PaletteEntry key={f.id} item={{ type: 'palette', element: { kind: 'related', field: f.id } }} label={t('designer.relatedOf', { name: f.name })} icon="▤" placed={placed.has(f.id)} />
        ))}
      </ul>
      <h2>{t('designer.newFields')}</h2>
      <ul className="designer-palette-list designer-palette-types">
        {FIELD_TYPE_IDS.map((type) => (
          <PaletteEntry key={type} item={{ type: 'newField', fieldType: type }} label={typeName(type, t)} icon="+" onActivate={() => onNewField(type)} />
        ))}
      </ul>
    </aside>
  );
}

function PaletteEntry({ item, label, hint, icon, placed = false, onActivate }: { item: DragItem; label: string; hint?: string; icon?: string; placed?: boolean; onActivate?(): void }) {
  const { t } = useI18n();
  const { dispatch, activeTab } = useDesigner();
  const { attributes, listeners, setNodeRef, isDragging } = useDesignerDraggable(item, placed);
  const add = () => {
    if (placed) return;
    if (onActivate) onActivate();
    else if (item.type === 'palette') dispatch({ type: 'insert', element: item.element, place: { at: 'tab', tab: activeTab } });
  };
  return (
    <li>
      <button
        type="button"
        ref={setNodeRef}
        className={`designer-palette-item${placed ? ' placed' : ''}${isDragging ? ' dragging' : ''}`}
        {...attributes}
        {...listeners}
        aria-disabled={placed || undefined}
        title={placed ? t('designer.alreadyPlaced') : t('designer.dragOrClick')}
        onClick={add}
      >
        {icon && <span className="designer-palette-icon" aria-hidden>{icon}</span>}
        <span className="designer-palette-label">{label}</span>
        {placed ? <span className="designer-palette-hint">✓ {t('designer.onForm')}</span> : hint && <span className="designer-palette-hint">{hint}</span>}
      </button>
    </li>
  );
}
