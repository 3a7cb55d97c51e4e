import { typeIdOf, unsavedFacts } from '../field-types/index.js';
import { DndContext, DragOverlay, KeyboardSensor, MeasuringStrategy, PointerSensor, useSensor, useSensors, type DragEndEvent, type DragStartEvent } from '@dnd-kit/core';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Form } from '../api/forms.js';
import type { Field, Sheet } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { FieldDialog } from '../schema/FieldDialog.js';
import { announcements, itemName } from './announce.js';
import { Canvas } from './Canvas.js';
import { DesignerContext, type DesignerContextValue } from './context.js';
import { dropAction, dropId, orderedTargets, type DragItem } from './dnd-model.js';
import { designerCollisions, itemOf, slotCoordinates, targetOf } from './dnd.js';
import { designerReducer, initialState, type Place } from './layout-reducer.js';
import { ownerTab } from './layout-tree.js';
import { Palette } from './Palette.js';
import { FormPreview } from './Preview.js';
import { SidePanel } from './SidePanel.js';
import { DesignerToolbar } from './Toolbar.js';
import { useFormSave } from './use-form-save.js';
import { useUndoKeys } from './use-undo-keys.js';
import { sameName } from '../../../schema-engine/schema-changes/name-key.js';

const newRef = () => `new:${Math.random().toString(36).slice(2, 10)}`;

/** The form designer: palette, canvas (or preview) and the side panel, around one layout with undo history. */
export function Designer({ ws, sheet, form }: { ws: string; sheet: Sheet; form: Form }) {
  const { t } = useI18n();
  const toast = useToast();
  const [state, dispatch] = useReducer(designerReducer, form.draft, initialState);
  const layout = state.doc.layout;
  const [activeTab, setActiveTab] = useState(layout.tabs[0]!.id);
  const [dragging, setDragging] = useState<DragItem | null>(null);
  const [mode, setMode] = useState<'design' | 'preview'>('design');
  const [phone, setPhone] = useState(false);
  const [newField, setNewField] = useState<{ type: string; place: Place } | null>(null);
  const saver = useFormSave(ws, sheet.id, form, state.doc, dispatch);
  const tabId = layout.tabs.some((x) => x.id === activeTab) ? activeTab : layout.tabs[0]!.id;

  const fields = useMemo(() => {
    const pending = state.doc.newFields.map((n): [string, Field] => [
      n.ref,
      { id: n.ref, name: n.field.name, type: typeIdOf(n.field.type), options: n.field.options ?? {}, required: n.field.required ?? false, unique: false, description: '', defaultValue: null, ...unsavedFacts(n.field.type) },
    ]);
    return new Map<string, Field>([...sheet.fields.map((f): [string, Field] => [f.id, f]), ...pending]);
  }, [sheet.fields, state.doc.newFields]);

  // Whatever is selected (after an insert, an undo) is shown: its tab becomes the active one.
  useEffect(() => {
    const tab = state.selected ? ownerTab(layout, state.selected) : undefined;
    if (tab && tab.id !== activeTab) setActiveTab(tab.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.selected, layout]);
  useUndoKeys(dispatch);

  // The keyboard steps through the drop slots of what is dragged, in reading order.
  const order = useRef<string[]>([]);
  const latest = useRef({ layout, fields });
  latest.current = { layout, fields };
  const keyboard = useMemo(() => ({ coordinateGetter: slotCoordinates(() => order.current), keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter'] } }), []);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, keyboard));
  const accessibility = useMemo(
    () => ({ announcements: announcements(() => latest.current, t), screenReaderInstructions: { draggable: t('designer.instructions') } }),
    [t],
  );

  const onDragStart = ({ active }: DragStartEvent) => {
    const item = itemOf(active);
    if (!item) return;
    order.current = orderedTargets(layout, tabId, item).map(dropId);
    setDragging(item);
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragging(null);
    const item = itemOf(active);
    const target = targetOf(over);
    const action = item && target ? dropAction(item, target) : undefined;
    if (!action) return;
    if (action.type === 'newField') setNewField({ type: action.fieldType, place: action.place });
    else dispatch(action);
  };

  const context: DesignerContextValue = { ws, sheet, fields, state, dispatch, dragging, activeTab: tabId, setActiveTab };
  return (
    <DesignerContext.Provider value={context}>
      <section className="designer-page">
        <DesignerToolbar form={form} saver={saver} mode={mode} onMode={setMode} />
        {saver.conflict && (
          <div className="banner warning designer-conflict" role="alert">
            <p>{t('designer.conflict', { version: saver.conflict.version })}</p>
            <div className="form-actions">
              <button type="button" className="button small" onClick={saver.loadTheirs}>
                {t('designer.loadTheirs')}
              </button>
              <button type="button" className="button small danger" onClick={saver.overwrite}>
                {t('designer.overwrite')}
              </button>
            </div>
          </div>
        )}
        <DndContext
          sensors={sensors}
          collisionDetection={designerCollisions}
          measuring={{ droppable: { strategy: MeasuringStrategy.Always } }}
          accessibility={accessibility}
          onDragStart={onDragStart}
          onDragEnd={onDragEnd}
          onDragCancel={() => setDragging(null)}
        >
          <div className={`designer-body mode-${mode}`}>
            {mode === 'design' ? (
              <>
                <Palette onNewField={(type) => setNewField({ type, place: { at: 'tab', tab: tabId } })} />
                <Canvas />
              </>
            ) : (
              <div className="designer-preview-area">
                <div className="segmented" role="group" aria-label={t('designer.previewWidth')}>
                  <button type="button" aria-pressed={!phone} onClick={() => setPhone(false)}>
                    {t('designer.desktop')}
                  </button>
                  <button type="button" aria-pressed={phone} onClick={() => setPhone(true)}>
                    {t('designer.phone')}
                  </button>
                </div>
                <FormPreview layout={layout} fields={fields} ws={ws} phone={phone} />
              </div>
            )}
            <SidePanel form={form} saver={saver} />
          </div>
          <DragOverlay dropAnimation={null}>{dragging && <div className="designer-overlay">{itemName(dragging, layout, fields, t)}</div>}</DragOverlay>
        </DndContext>
        {newField && (
          <FieldDialog
            ws={ws}
            sheet={sheet}
            type={newField.type}
            onClose={() => setNewField(null)}
            onDefine={(input) => {
              const taken = [...fields.values()].some((f) => sameName(f.name, input.name));
              if (taken) return t('designer.nameTaken', { name: input.name });
              const ref = newRef();
              dispatch({ type: 'insert', element: { kind: 'field', field: ref }, place: newField.place, newField: { ref, field: input } });
              setNewField(null);
              toast(t('designer.newFieldAdded', { name: input.name }));
              return undefined;
            }}
          />
        )}
      </section>
    </DesignerContext.Provider>
  );
}
