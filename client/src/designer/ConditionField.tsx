import { useEffect, useRef, useState } from 'react';
import type { Field } from '../api/types.js';
import { fromJsonLogic, toJsonLogic, type Group } from '../filters/filter-logic.js';
import { FilterBuilder } from '../filters/FilterBuilder.js';
import { useI18n } from '../i18n/i18n.js';

interface Props {
  label: string;
  hint: string;
  /** The JsonLogic stored on the element (field ids in its vars), or undefined. */
  value: unknown;
  fields: Field[];
  onChange(logic: unknown): void;
}

/**
 * "Show when" / "Required when": the filter builder's and/or groups over the sheet's fields, stored as JsonLogic.
 * Rows still being filled in stay in the builder and reach the layout once complete.
 */
export function ConditionField({ label, hint, value, fields, onChange }: Props) {
  const { t } = useI18n();
  const [group, setGroup] = useState<Group>(() => fromJsonLogic(value));
  const emitted = useRef(JSON.stringify(value ?? null));
  // A change from outside (undo, another element selected) replaces what the builder shows.
  useEffect(() => {
    const now = JSON.stringify(value ?? null);
    if (now !== emitted.current) {
      emitted.current = now;
      setGroup(fromJsonLogic(value));
    }
  }, [value]);
  const change = (next: Group) => {
    setGroup(next);
    const logic = toJsonLogic(next);
    emitted.current = JSON.stringify(logic ?? null);
    onChange(logic);
  };
  return (
    <fieldset className="designer-condition" aria-label={label}>
      <legend>{label}</legend>
      {group.items.length === 0 && <p className="hint">{hint}</p>}
      <FilterBuilder fields={fields} group={group} onChange={change} />
      {group.items.length > 0 && (
        <button type="button" className="link" onClick={() => change({ kind: 'group', join: 'and', items: [] })}>
          {t('designer.clearCondition')}
        </button>
      )}
    </fieldset>
  );
}
