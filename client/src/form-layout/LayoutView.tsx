import { useState, type ReactNode } from 'react';
import type { FormState } from '../../../schema-engine/forms/evaluate.js';
import type { FieldElement, FormLayout, FormSection, RelatedElement } from '../../../schema-engine/forms/layout.js';
import type { Field } from '../api/types.js';

export interface LayoutViewProps {
  layout: FormLayout;
  /** What the conditions decide for the values now in the form. */
  state: FormState;
  fields: ReadonlyMap<string, Field>;
  renderField(field: Field, element: FieldElement): ReactNode;
  renderRelated(field: Field, element: RelatedElement): ReactNode;
}

/**
 * A designed form: tabs (a tab bar only when more than one is shown), sections (collapsible ones as
 * details/summary), rows of columns, and each element; what a condition hides is not rendered at all.
 */
export function LayoutView({ layout, state, fields, renderField, renderRelated }: LayoutViewProps) {
  const tabs = layout.tabs.filter((t) => state.visible.has(t.id));
  const [active, setActive] = useState(tabs[0]?.id);
  const current = tabs.find((t) => t.id === active) ?? tabs[0];
  if (!current) return null;
  return (
    <div className="layout">
      {tabs.length > 1 && (
        <div className="layout-tabs" role="tablist">
          {tabs.map((tab) => (
            <button key={tab.id} type="button" role="tab" aria-selected={tab.id === current.id} className={tab.id === current.id ? 'active' : ''} onClick={() => setActive(tab.id)}>
              {tab.title}
            </button>
          ))}
        </div>
      )}
      {/* Every shown tab stays mounted (hidden), so typing in one tab survives switching to another. */}
      {tabs.map((tab) => (
        <div key={tab.id} className="layout-tab" role={tabs.length > 1 ? 'tabpanel' : undefined} hidden={tab.id !== current.id}>
          {tab.sections.filter((s) => state.visible.has(s.id)).map((section) => (
            <Section key={section.id} section={section} {...{ state, fields, renderField, renderRelated }} />
          ))}
        </div>
      ))}
    </div>
  );
}

function Section({ section, state, fields, renderField, renderRelated }: Omit<LayoutViewProps, 'layout'> & { section: FormSection }) {
  const body = (
    <>
      {section.description && <p className="hint layout-description">{section.description}</p>}
      {section.rows.map((row) => (
        <div key={row.id} className="layout-row" style={{ gridTemplateColumns: `repeat(${row.columns.length}, minmax(0, 1fr))` }}>
          {row.columns.map((column) => (
            <div key={column.id} className="layout-column">
              {column.elements.map((element) => {
                if (!state.visible.has(element.id)) return null;
                switch (element.kind) {
                  case 'heading':
                    return <h3 key={element.id} className="layout-heading">{element.text}</h3>;
                  case 'paragraph':
                    return <p key={element.id} className="layout-paragraph">{element.text}</p>;
                  case 'divider':
                    return <hr key={element.id} className="layout-divider" />;
                  case 'field':
                  case 'related': {
                    const field = fields.get(element.field);
                    if (!field) return null;
                    const width = element.kind === 'field' ? (element.width ?? 'full') : 'full';
                    return (
                      <div key={element.id} className={`layout-element width-${width}`}>
                        {element.kind === 'field' ? renderField(field, element) : renderRelated(field, element)}
                      </div>
                    );
                  }
                }
              })}
            </div>
          ))}
        </div>
      ))}
    </>
  );
  if (section.collapsible) {
    return (
      <details className="layout-section" open={!section.collapsed}>
        <summary>{section.title || '…'}</summary>
        {body}
      </details>
    );
  }
  return (
    <section className="layout-section">
      {section.title && <h2 className="layout-title">{section.title}</h2>}
      {body}
    </section>
  );
}
