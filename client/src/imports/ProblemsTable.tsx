import { useI18n } from '../i18n/i18n.js';
import type { ImportJson } from './api.js';

/** The rows that were not written (or stopped the import): row of the file, column, value and why. */
export function ProblemsTable({ item }: { item: ImportJson }) {
  const { t } = useI18n();
  if (!item.problems.length) return null;
  return (
    <div className="table-scroll">
      <table className="linked-table import-problems" aria-label={t('imports.problems')}>
        <thead>
          <tr>
            <th scope="col">{t('imports.problem.row')}</th>
            <th scope="col">{t('imports.problem.column')}</th>
            <th scope="col">{t('imports.problem.value')}</th>
            <th scope="col">{t('imports.problem.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {item.problems.map((p, i) => (
            <tr key={i}>
              <td className="num">{p.row}</td>
              <td>{p.column ?? '—'}</td>
              <td className="mono">{p.value ?? ''}</td>
              <td>{p.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {item.problemCount > item.problems.length && <p className="hint">{t('imports.moreProblems', { shown: item.problems.length, count: item.problemCount })}</p>}
    </div>
  );
}
