import type { FormElement } from '../../../schema-engine/forms/layout.js';
import { useI18n } from '../i18n/i18n.js';
import { elementName, typeName } from './announce.js';
import { useDesigner } from './context.js';
import { useDesignerDraggable } from './dnd.js';

/** One element on the canvas: its name, what it is, what its properties make of it; drag it by its handle. */
export function CanvasElement({ element }: { element: FormElement }) {
  const { t } = useI18n();
  const { state, dispatch, fields } = useDesigner();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDesignerDraggable({ type: 'element', id: element.id });
  const field = 'field' in element ? fields.get(element.field) : undefined;
  const name = elementName(element, fields, t);
  const selected = state.selected === element.id;
  const width = element.kind === 'field' ? (element.width ?? 'full') : 'full';
  const kind = element.kind === 'field' ? (field ? typeName(field.type, t) : '') : element.kind === 'related' ? t('designer.relatedList') : t(`designer.${element.kind}`);
  const select = () => dispatch({ type: 'select', id: element.id });
  return (
    <div
      ref={setNodeRef}
      className={`designer-element kind-${element.kind} width-${width}${selected ? ' selected' : ''}${isDragging ? ' dragging' : ''}`}
      data-element={element.id}
    >
      <button type="button" className="designer-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={t('designer.dragElement', { name })}>
        ⠿
      </button>
      <button type="button" className="designer-element-body" onClick={select} aria-pressed={selected}>
        <span className="designer-element-name">
          {element.kind === 'heading' ? <strong>{name}</strong> : element.kind === 'divider' ? <span className="designer-divider-line" /> : name}
          {element.kind === 'field' && (element.required || field?.required) && <span className="required" aria-hidden> *</span>}
        </span>
        <span className="designer-element-meta">
          {kind}
          {field?.id.startsWith('new:') && <span className="designer-badge new">{t('designer.unsavedField')}</span>}
          {element.kind === 'field' && element.hidden && <span className="designer-badge">{t('designer.hidden')}</span>}
          {'readOnly' in element && element.readOnly && <span className="designer-badge">{t('designer.readOnly')}</span>}
          {element.visibleWhen !== undefined && <span className="designer-badge cond">{t('designer.showWhenBadge')}</span>}
          {element.kind === 'field' && element.requiredWhen !== undefined && <span className="designer-badge cond">{t('designer.requiredWhenBadge')}</span>}
        </span>
      </button>
      <button
        type="button"
        className="designer-icon danger"
        onClick={(e) => {
          e.stopPropagation();
          dispatch({ type: 'remove', id: element.id });
        }}
        aria-label={t('designer.removeNamed', { name })}
      >
        ×
      </button>
    </div>
  );
}
