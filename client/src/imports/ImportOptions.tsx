import type { Field } from '../api/types.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import { DATE_ORDERS, type DateOrder } from './api.js';
import { ErrorText } from './ErrorText.js';
import type { Shown } from './errors.js';

export interface Options {
  mode: 'insert' | 'upsert';
  key: string;
  onError: 'abort' | 'skip';
  createMissingLinks: boolean;
  dateOrder: DateOrder;
}

interface ImportOptionsProps {
  options: Options;
  /** Upsert is offered into an existing sheet only; the key is one of the fields the file fills. */
  keyFields: readonly Field[] | undefined;
  /** Whether a column fills a link field. */
  links: boolean;
  /** Whether the file holds dates whose order matters; `guessed` when no value settled it. */
  dates: { guessed: boolean } | undefined;
  errors: Record<string, Shown>;
  onChange(options: Options): void;
}

/** Insert or update by a key, what a bad row does, links to missing records, and how dates are read. */
export function ImportOptions({ options, keyFields, links, dates, errors, onChange }: ImportOptionsProps) {
  const { t } = useI18n();
  const set = (patch: Partial<Options>) => onChange({ ...options, ...patch });
  return (
    <div className="import-options">
      {keyFields && (
        <fieldset>
          <legend>{t('imports.mode')}</legend>
          <Radios name="import-mode" value={options.mode} choices={['insert', 'upsert']} onChange={(mode) => set({ mode, key: options.key || keyFields[0]?.name || '' })} />
          {options.mode === 'upsert' && (
            <label>
              {t('imports.key')}
              <select className="input" value={options.key} onChange={(e) => set({ key: e.target.value })} aria-invalid={errors.key ? true : undefined}>
                <option value="" />
                {keyFields.map((f) => (
                  <option key={f.id} value={f.name}>
                    {f.name}
                  </option>
                ))}
              </select>
              <span className="hint">{t('imports.keyHint')}</span>
            </label>
          )}
          <ErrorText shown={errors.mode ?? errors.key} />
        </fieldset>
      )}
      <fieldset>
        <legend>{t('imports.onError')}</legend>
        <Radios name="import-on-error" value={options.onError} choices={['abort', 'skip']} onChange={(onError) => set({ onError })} />
        <ErrorText shown={errors.onError} />
      </fieldset>
      {links && (
        <label className="check">
          <input type="checkbox" checked={options.createMissingLinks} onChange={(e) => set({ createMissingLinks: e.target.checked })} />
          {t('imports.createMissingLinks')}
        </label>
      )}
      {dates && (
        <label>
          {t('imports.dateOrder')}
          <select className="input" value={options.dateOrder} onChange={(e) => set({ dateOrder: e.target.value as DateOrder })}>
            {DATE_ORDERS.map((order) => (
              <option key={order} value={order}>
                {t(`imports.dateOrder.${order}` as MessageKey)}
              </option>
            ))}
          </select>
          {dates.guessed && <span className="hint">{t('imports.dateOrderGuessed')}</span>}
          <ErrorText shown={errors.dateOrder} />
        </label>
      )}
    </div>
  );
}

/** One radio button a choice, labelled `imports.mode.<choice>` or `imports.onError.<choice>`. */
function Radios<T extends string>({ name, value, choices, onChange }: { name: 'import-mode' | 'import-on-error'; value: T; choices: readonly T[]; onChange(choice: T): void }) {
  const { t } = useI18n();
  const prefix = name === 'import-mode' ? 'imports.mode' : 'imports.onError';
  return (
    <>
      {choices.map((choice) => (
        <label className="check" key={choice}>
          <input type="radio" name={name} checked={value === choice} onChange={() => onChange(choice)} />
          {t(`${prefix}.${choice}` as MessageKey)}
        </label>
      ))}
    </>
  );
}
