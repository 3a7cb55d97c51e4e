import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';

export type Step = 'preview' | 'map' | 'options';
const STEPS: Step[] = ['preview', 'map', 'options'];

/** The wizard's steps (the upload is done): each one may be gone back to. */
export function StepList({ current, onGo }: { current: Step; onGo(step: Step): void }) {
  const { t } = useI18n();
  return (
    <ol className="import-steps" aria-label={t('imports.steps')}>
      <li className="done">{t('imports.step.upload')}</li>
      {STEPS.map((step) => (
        <li key={step} aria-current={step === current ? 'step' : undefined}>
          <button type="button" className="link-button" onClick={() => onGo(step)}>
            {t(`imports.step.${step}` as MessageKey)}
          </button>
        </li>
      ))}
    </ol>
  );
}
