import { Fragment } from 'react';
import type { FormColumn, FormRow, FormSection } from '../../../schema-engine/forms/layout.js';
import { useI18n } from '../i18n/i18n.js';
import { CanvasElement } from './CanvasElement.js';
import { useDesigner } from './context.js';
import { useDesignerDraggable } from './dnd.js';
import { MAX_COLUMNS } from './layout-reducer.js';
import { Slot } from './Slots.js';

/** A section on the canvas: drag it by its handle, click its title to edit it, drop fields into its rows. */
export function CanvasSection({ section, index }: { section: FormSection; index: number }) {
  const { t } = useI18n();
  const { state, dispatch } = useDesigner();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDesignerDraggable({ type: 'section', id: section.id });
  const name = section.title || t('designer.untitledSection', { n: index + 1 });
  const selected = state.selected === section.id;
  return (
    <section ref={setNodeRef} className={`designer-section${selected ? ' selected' : ''}${isDragging ? ' dragging' : ''}`} aria-label={name}>
      <header className="designer-section-head">
        <button type="button" className="designer-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={t('designer.dragSection', { name })}>
          ⠿
        </button>
        <button type="button" className={`designer-section-title${section.title ? '' : ' untitled'}`} onClick={() => dispatch({ type: 'select', id: section.id })} aria-pressed={selected}>
          {name}
        </button>
        {section.collapsible && <span className="designer-badge">{t('designer.collapsible')}</span>}
        {section.visibleWhen !== undefined && <span className="designer-badge" title={t('designer.conditional')}>?</span>}
        <span className="spacer" />
        <button type="button" className="designer-icon" onClick={() => dispatch({ type: 'addRow', section: section.id, columns: 2 })} title={t('designer.addRow2')} aria-label={t('designer.addRow2')}>
          ⊞
        </button>
        <button type="button" className="designer-icon danger" onClick={() => dispatch({ type: 'remove', id: section.id })} aria-label={t('designer.removeNamed', { name })}>
          ×
        </button>
      </header>
      {section.description && <p className="hint">{section.description}</p>}
      <div className="designer-rows">
        {section.rows.map((row, r) => (
          <Fragment key={row.id}>
            <Slot target={{ type: 'place', place: { at: 'row', section: section.id, index: r } }} className="designer-slot-row" />
            <CanvasRow row={row} />
          </Fragment>
        ))}
        <Slot target={{ type: 'place', place: { at: 'row', section: section.id, index: section.rows.length } }} className={`designer-slot-row${section.rows.length ? '' : ' designer-slot-empty'}`}>
          {section.rows.length ? undefined : t('designer.dropHere')}
        </Slot>
      </div>
    </section>
  );
}

function CanvasRow({ row }: { row: FormRow }) {
  const { t } = useI18n();
  const { dispatch } = useDesigner();
  return (
    <div className="designer-row">
      <div className="designer-columns" style={{ gridTemplateColumns: `repeat(${row.columns.length}, minmax(0, 1fr))` }}>
        {row.columns.map((column, c) => (
          <CanvasColumn key={column.id} column={column} n={c + 1} removable={row.columns.length > 1} />
        ))}
      </div>
      <div className="designer-row-tools">
        <button type="button" className="designer-icon" disabled={row.columns.length >= MAX_COLUMNS} onClick={() => dispatch({ type: 'addColumn', row: row.id })} title={t('designer.addColumn')} aria-label={t('designer.addColumn')}>
          +
        </button>
        <button type="button" className="designer-icon danger" onClick={() => dispatch({ type: 'remove', id: row.id })} title={t('designer.removeRow')} aria-label={t('designer.removeRow')}>
          ×
        </button>
      </div>
    </div>
  );
}

function CanvasColumn({ column, n, removable }: { column: FormColumn; n: number; removable: boolean }) {
  const { t } = useI18n();
  const { dispatch } = useDesigner();
  return (
    <div className="designer-column">
      {removable && (
        <button type="button" className="designer-icon designer-column-remove" onClick={() => dispatch({ type: 'removeColumn', column: column.id })} aria-label={t('designer.removeColumn', { n })} title={t('designer.removeColumn', { n })}>
          ×
        </button>
      )}
      {column.elements.map((element, i) => (
        <Fragment key={element.id}>
          <Slot target={{ type: 'place', place: { at: 'column', column: column.id, index: i } }} className="designer-slot-element" />
          <CanvasElement element={element} />
        </Fragment>
      ))}
      <Slot target={{ type: 'place', place: { at: 'column', column: column.id, index: column.elements.length } }} className={`designer-slot-element${column.elements.length ? '' : ' designer-slot-empty'}`}>
        {column.elements.length ? undefined : t('designer.dropHere')}
      </Slot>
    </div>
  );
}
