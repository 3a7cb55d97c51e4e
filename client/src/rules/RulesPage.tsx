import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useAccess } from '../api/access.js';
import { api, ApiError } from '../api/http.js';
import { sheetPath, useSheets } from '../api/queries.js';
import type { Sheet } from '../api/types.js';
import { ConfirmDialog } from '../app/ConfirmDialog.js';
import { useToast } from '../app/toasts.js';
import type { SheetRule } from '../form/lock-rules.js';
import { useI18n } from '../i18n/i18n.js';
import { operatorLabel } from '../filters/FilterBuilder.js';
import { describeCondition } from './rule-condition.js';
import { RuleEditor, type RuleInput } from './RuleEditor.js';
import './rules.css';

/** GET …/rules also names the fields a condition reads. */
type ListedRule = SheetRule & { fields: string[] };

/**
 * A sheet's validation and lock rules, for those who design it: listed in the order they are checked, added and
 * edited with the filter builder, deleted after a question. The rules query is the one lock-rules.ts reads.
 */
export function RulesPage({ ws, sheet: sheetRef }: { ws: string; sheet: string }) {
  const { t } = useI18n();
  const access = useAccess(ws);
  const sheet = useSheets(ws).data?.find((s) => s.id === sheetRef || s.name === sheetRef);
  if (!sheet || !access) return <p className="loading">{t('grid.loading')}</p>;
  if (!access.design) return <p className="empty">{t('rules.denied')}</p>;
  return <Rules ws={ws} sheet={sheet} />;
}

function Rules({ ws, sheet }: { ws: string; sheet: Sheet }) {
  const { t } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const queryKey = ['rules', ws, sheet.id];
  const rules = useQuery({ queryKey, queryFn: () => api<ListedRule[]>('GET', `${sheetPath(ws, sheet.id)}/rules`) });
  /** The rule being edited, "new" while adding one. */
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<ListedRule | null>(null);

  const save = async (input: RuleInput, id?: string) => {
    await api(id ? 'PATCH' : 'POST', `${sheetPath(ws, sheet.id)}/rules${id ? `/${id}` : ''}`, input);
    await client.invalidateQueries({ queryKey });
    setEditing(null);
    toast(t('rules.saved'));
  };
  const remove = async (rule: ListedRule) => {
    setDeleting(null);
    try {
      await api('DELETE', `${sheetPath(ws, sheet.id)}/rules/${rule.id}`);
      await client.invalidateQueries({ queryKey });
      toast(t('rules.deleted'));
    } catch (error) {
      toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
    }
  };

  return (
    <section className="rules-page">
      <div className="toolbar">
        <h1>{t('rules.title', { sheet: sheet.name })}</h1>
        <span className="spacer" />
        <Link href={`/w/${ws}/s/${sheet.id}`} className="button">
          {t('rules.back')}
        </Link>
        {editing === null && (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            + {t('rules.add')}
          </button>
        )}
      </div>
      <p className="hint">{t('rules.intro')}</p>
      {editing === 'new' && <RuleEditor sheet={sheet} onSave={(input) => save(input)} onCancel={() => setEditing(null)} />}
      {rules.isError && <p className="error">{rules.error instanceof ApiError ? rules.error.message : t('toast.error')}</p>}
      {rules.data?.length === 0 && editing !== 'new' && <p className="empty">{t('rules.none')}</p>}
      <ol className="rules-list">
        {(rules.data ?? []).map((rule) =>
          editing === rule.id ? (
            <li key={rule.id}>
              <RuleEditor sheet={sheet} rule={rule} onSave={(input) => save(input, rule.id)} onCancel={() => setEditing(null)} />
            </li>
          ) : (
            <li key={rule.id} className="rule-item card" data-rule={rule.id}>
              <span className={`rule-badge${rule.kind === 'lock' ? ' lock' : ''}`}>{rule.kind === 'lock' ? t('rules.kind.lock') : t('rules.kind.validate')}</span>
              <p className="rule-message">{rule.message}</p>
              <p className="rule-when mono">
                {t(rule.kind === 'lock' ? 'rules.whileLabel' : 'rules.whenLabel')} {describeCondition(sheet.fields, rule.condition, (op) => operatorLabel(op, t), (j) => t(j === 'and' ? 'filter.and' : 'filter.or'))}
              </p>
              <p className="hint">
                {t('rules.reads', { fields: rule.fields.join(', ') || '—' })}
                {rule.kind === 'lock' && <> · {rule.lockedFields ? t('rules.locksFields', { fields: rule.lockedFields.join(', ') }) : t('rules.locksAll')}</>}
              </p>
              <div className="rule-actions">
                <button type="button" className="button small" aria-label={t('rules.editOf', { message: rule.message })} onClick={() => setEditing(rule.id)}>
                  {t('rules.editShort')}
                </button>
                <button type="button" className="button small danger" aria-label={t('rules.deleteOf', { message: rule.message })} onClick={() => setDeleting(rule)}>
                  {t('rules.deleteShort')}
                </button>
              </div>
            </li>
          ),
        )}
      </ol>
      {deleting && (
        <ConfirmDialog
          title={t('rules.delete')}
          message={t('rules.deleteConfirm', { message: deleting.message })}
          keepLabel={t('form.cancel')}
          proceedLabel={t('rules.delete')}
          onKeep={() => setDeleting(null)}
          onProceed={() => void remove(deleting)}
        />
      )}
    </section>
  );
}
