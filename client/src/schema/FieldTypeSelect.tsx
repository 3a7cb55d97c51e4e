import { FIELD_TYPE_IDS, type FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import { typeName } from '../designer/announce.js';
import { useI18n } from '../i18n/i18n.js';

interface FieldTypeSelectProps {
  value: string;
  onChange(type: string): void;
  /** The types offered (every type by default). */
  types?: readonly FieldTypeId[];
  disabled?: boolean;
  label?: string;
  className?: string;
}

/** A field type picker with the types' names in the user's language (the field dialog, the import wizard). */
export function FieldTypeSelect({ value, onChange, types = FIELD_TYPE_IDS, disabled, label, className = 'input' }: FieldTypeSelectProps) {
  const { t } = useI18n();
  return (
    <select className={className} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} aria-label={label}>
      {types.map((id) => (
        <option key={id} value={id}>
          {typeName(id, t)}
        </option>
      ))}
    </select>
  );
}
