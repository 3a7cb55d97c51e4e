import { useState } from 'react';
import type { Choice } from '../api/types.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import { choiceLines, choicesFromLines } from '../schema/options.js';
import { CHOICE_COLORS } from './shared.js';
import type { OptionsEditorProps } from './types.js';

type ChoiceDraft = Pick<Choice, 'name'> & Partial<Choice>;

/**
 * Choices typed one per line, then a colour for each (chips in cells, cards and kanban columns). Choices keep their
 * ids by name (the server matches names), so a colour or a line moved keeps the values that hold it.
 */
export function ChoicesEditor({ options, onChange }: OptionsEditorProps) {
  const { t } = useI18n();
  const choices = (options.choices as ChoiceDraft[] | undefined) ?? [];
  // The text is kept as typed (a trailing newline, a blank line on the way to a new choice).
  const [text, setText] = useState(() => choiceLines(options));
  const setNames = (raw: string) => {
    setText(raw);
    onChange({ ...options, choices: choicesFromLines(raw, choices) });
  };
  const setColor = (name: string, color: string) => onChange({ ...options, choices: choices.map((c) => (c.name === name ? { ...c, color } : c)) });
  return (
    <>
      <label>
        {t('schema.choices')}
        <textarea className="input" rows={5} value={text} onChange={(e) => setNames(e.target.value)} />
      </label>
      {choices.length > 0 && (
        <fieldset className="choice-colors">
          <legend>{t('schema.choiceColors')}</legend>
          {choices.map((c, i) => (
            <label key={c.name} className={`chip chip-${c.color ?? CHOICE_COLORS[i % CHOICE_COLORS.length]}`}>
              {c.name}
              <select className="input slim" aria-label={t('schema.choiceColor', { name: c.name })} value={c.color ?? ''} onChange={(e) => setColor(c.name, e.target.value)}>
                {!c.color && <option value="">{t('schema.colorAuto')}</option>}
                {CHOICE_COLORS.map((color) => (
                  <option key={color} value={color}>
                    {t(`color.${color}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </fieldset>
      )}
    </>
  );
}
