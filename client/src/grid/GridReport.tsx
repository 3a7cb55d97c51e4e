import { useI18n } from '../i18n/i18n.js';
import type { GridReport as Report } from './useGridCommands.js';

/** What the last paste (clear, fill, undo) left out, by row, column and value, until the user closes it. */
export function GridReport({ report, onClose }: { report: Report; onClose(): void }) {
  const { t } = useI18n();
  return (
    <div className="grid-report" role="alert">
      <div className="grid-report-head">
        <strong>{report.title}</strong>
        <button type="button" className="button small" onClick={onClose}>
          {t('grid.closeReport')}
        </button>
      </div>
      <ul>
        {report.lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </div>
  );
}
