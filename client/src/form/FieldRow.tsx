import type { FieldElement } from '../../../schema-engine/forms/layout.js';
import type { Field } from '../api/types.js';
import { FieldControl } from '../fields/controls.js';
import { formatValue } from '../fields/format.js';
import { useI18n } from '../i18n/i18n.js';
import { LockIcon } from '../fields/LockIcon.js';

interface Props {
  field: Field;
  /** Where the designed form places it (label, help, placeholder, read-only); absent in a plain list. */
  element?: FieldElement;
  value: unknown;
  required: boolean;
  readOnly: boolean;
  /** The message of the lock rule holding this field read-only, if one does. */
  lockedBy?: string | undefined;
  error?: string;
  /** The other person's value after a 409, offered beside the user's own. */
  theirs?: { value: unknown };
  workspaceId: string;
  onChange(value: unknown): void;
  onTakeTheirs(): void;
  /** Focus left the field (a number input's text is checked then, not while it is typed). */
  onLeave?(): void;
}

/** One field of a form: label, the control its type has, help, its error and the other person's change. */
export function FieldRow({ field, element, value, required, readOnly, lockedBy, error, theirs, workspaceId, onChange, onTakeTheirs, onLeave }: Props) {
  const { t, locale } = useI18n();
  const id = `f-${field.id}`;
  const label = element?.label || field.name;
  const help = element?.help || field.description;
  return (
    <div className={`form-row${error ? ' has-error' : ''}${lockedBy !== undefined ? ' locked' : ''}`} title={lockedBy !== undefined ? t('lock.locked', { message: lockedBy }) : undefined} onBlur={(e) => onLeave && left(e.currentTarget, e.relatedTarget) && onLeave()}>
      <label htmlFor={id}>
        {label}
        {required && <span className="required" aria-hidden> *</span>}
        {lockedBy !== undefined && <LockIcon label={t('lock.locked', { message: lockedBy })} />}
      </label>
      <FieldControl field={field} value={value} onChange={onChange} workspaceId={workspaceId} id={id} invalid={!!error} placeholder={element?.placeholder} readOnly={readOnly} />
      {help && <p className="hint">{help}</p>}
      {error && (
        <p className="error" role="alert">
          {label} {error}
        </p>
      )}
      {theirs && (
        <p className="theirs">
          {t('form.theirs', { value: formatValue(field, theirs.value, locale) || t('value.empty') })}{' '}
          <button type="button" className="link" onClick={onTakeTheirs}>
            {t('form.takeTheirs')}
          </button>
        </p>
      )}
    </div>
  );
}

/**
 * Focus went elsewhere than the row, and not to a Save button: the save checks the field itself, and an error shown
 * on the way there would move the button from under the pointer before the click lands.
 */
function left(row: HTMLElement, next: EventTarget | null): boolean {
  if (next instanceof HTMLButtonElement && next.type === 'submit') return false;
  return !row.contains(next as Node | null);
}
