import { useState, type DragEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';

const ACCEPT = '.csv,.tsv,.txt,.xlsx,text/csv,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Choose a file with the button or drop it on the box: a CSV, TSV or Excel workbook. */
export function Dropzone({ busy, onFile }: { busy: boolean; onFile(file: File): void }) {
  const { t } = useI18n();
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file && !busy) onFile(file);
  };
  return (
    <div
      className={`import-dropzone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      data-testid="import-dropzone"
    >
      <p>{busy ? t('imports.uploading') : t('imports.dropHere')}</p>
      <label className="button primary file-button">
        {t('imports.chooseFile')}
        <input
          type="file"
          className="visually-hidden"
          accept={ACCEPT}
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) onFile(file);
          }}
        />
      </label>
      <p className="hint">{t('imports.formats')}</p>
    </div>
  );
}
