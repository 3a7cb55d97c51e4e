import { Fragment } from 'react';
import type { FormTab } from '../../../schema-engine/forms/layout.js';
import { useI18n } from '../i18n/i18n.js';
import { CanvasSection } from './CanvasSection.js';
import { useDesigner } from './context.js';
import { useDesignerDraggable, useDesignerDroppable } from './dnd.js';
import { MAX_TABS } from './layout-reducer.js';
import { Slot } from './Slots.js';

/** The form being designed: its tabs, then the active tab's sections with their rows, columns and elements. */
export function Canvas() {
  const { t } = useI18n();
  const { state, dispatch, activeTab, setActiveTab, dragging } = useDesigner();
  const layout = state.doc.layout;
  const tab = layout.tabs.find((x) => x.id === activeTab) ?? layout.tabs[0]!;
  // The new tab is selected, and the designer shows the tab of whatever is selected.
  const addTab = () => dispatch({ type: 'addTab', title: t('designer.tabTitle', { n: layout.tabs.length + 1 }) });
  return (
    <div className={`designer-canvas${dragging ? ` dragging-${dragging.type}` : ''}`} aria-label={t('designer.canvas')} role="region">
      <div className="designer-tabs">
        {layout.tabs.map((x, i) => (
          <Fragment key={x.id}>
            <Slot target={{ type: 'tabSlot', index: i }} className="designer-slot-tab" />
            <TabChip tab={x} active={x.id === tab.id} onActivate={() => setActiveTab(x.id)} />
          </Fragment>
        ))}
        <Slot target={{ type: 'tabSlot', index: layout.tabs.length }} className="designer-slot-tab" />
        <button type="button" className="button small designer-add-tab" onClick={addTab} disabled={layout.tabs.length >= MAX_TABS}>
          + {t('designer.addTab')}
        </button>
      </div>
      <div className="designer-sections">
        {tab.sections.map((section, i) => (
          <Fragment key={section.id}>
            <Slot target={{ type: 'sectionSlot', tab: tab.id, index: i }} className="designer-slot-section" />
            <CanvasSection section={section} index={i} />
          </Fragment>
        ))}
        <Slot target={{ type: 'sectionSlot', tab: tab.id, index: tab.sections.length }} className="designer-slot-section" />
        <Slot target={{ type: 'place', place: { at: 'section', tab: tab.id, index: tab.sections.length } }} className="designer-slot-new-section">
          {t('designer.dropNewSection')}
        </Slot>
        <button type="button" className="button small" onClick={() => dispatch({ type: 'addSection', tab: tab.id })}>
          + {t('designer.addSection')}
        </button>
      </div>
    </div>
  );
}

function TabChip({ tab, active, onActivate }: { tab: FormTab; active: boolean; onActivate(): void }) {
  const { t } = useI18n();
  const { state, dispatch } = useDesigner();
  const drag = useDesignerDraggable({ type: 'tab', id: tab.id });
  // Dropping on another tab's header moves an element to the end of that tab.
  const drop = useDesignerDroppable({ type: 'place', place: { at: 'tab', tab: tab.id } }, active);
  const selected = state.selected === tab.id;
  const name = tab.title || t('designer.untitledTab');
  return (
    <div
      ref={(node) => {
        drag.setNodeRef(node);
        drop.setNodeRef(node);
      }}
      className={`designer-tab-chip${active ? ' active' : ''}${selected ? ' selected' : ''}${drop.isOver ? ' over' : ''}${drag.isDragging ? ' dragging' : ''}`}
    >
      <button type="button" className="designer-handle" ref={drag.setActivatorNodeRef} {...drag.attributes} {...drag.listeners} aria-label={t('designer.dragTab', { name })}>
        ⠿
      </button>
      <button
        type="button"
        className="designer-tab-title"
        aria-pressed={active}
        onClick={() => {
          onActivate();
          dispatch({ type: 'select', id: tab.id });
        }}
      >
        {name}
        {tab.visibleWhen !== undefined && <span className="designer-badge" title={t('designer.conditional')}>?</span>}
      </button>
    </div>
  );
}
