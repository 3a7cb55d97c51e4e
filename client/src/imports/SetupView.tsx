import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { sheetAccessOf, useAccess } from '../api/access.js';
import { useSheets } from '../api/queries.js';
import { useI18n } from '../i18n/i18n.js';
import { cancelImport, importKey, importsKey, previewAgain, startImport, useSuggestedMapping, type ImportJson, type StartBody } from './api.js';
import { ErrorText } from './ErrorText.js';
import { fieldErrors, shownError, type Shown } from './errors.js';
import { ImportOptions, type Options } from './ImportOptions.js';
import { draftsFrom, fillable, initialOrder, mappingOf, type ColumnDraft } from './mapping-draft.js';
import { MappingTable } from './MappingTable.js';
import { PreviewTable } from './PreviewTable.js';
import { ReadSettings } from './ReadSettings.js';
import { StepList, type Step } from './StepList.js';
import { TargetPicker, type Target } from './TargetPicker.js';

/** Which step shows a refusal's place. */
const stepOf = (where: string): Step => (where.startsWith('mapping') || where === 'sheet' || where === 'newSheet' ? 'map' : where === 'encoding' || where === 'worksheet' ? 'preview' : 'options');

const baseName = (file: string) => file.replace(/\.[^.]+$/, '').slice(0, 100) || file;

/** A previewed import: how the file is read, where its columns go, and how; then Start. */
export function SetupView({ ws, item, presetSheet }: { ws: string; item: ImportJson; presetSheet: string | null }) {
  const { t, locale } = useI18n();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const access = useAccess(ws);
  const canDesign = access?.design === true;
  const allSheets = useSheets(ws).data;
  const sheets = useMemo(() => (allSheets ?? []).filter((s) => sheetAccessOf(access, s.id).create), [allSheets, access]);
  const [step, setStep] = useState<Step>('preview');
  const [target, setTarget] = useState<Target | undefined>();
  const [drafts, setDrafts] = useState<Record<string, ColumnDraft>>({});
  const [options, setOptions] = useState<Options>({ mode: 'insert', key: '', onError: 'abort', createMissingLinks: false, dateOrder: initialOrder(item.columns, locale) });
  const [errors, setErrors] = useState<Record<string, Shown>>({});
  const [error, setError] = useState<Shown>();
  const [busy, setBusy] = useState(false);

  // The target starts as the sheet the wizard was opened from, else a new sheet named after the file.
  useEffect(() => {
    if (target || !allSheets || !access) return;
    const preset = sheets.find((s) => s.id === presetSheet);
    if (preset) setTarget({ kind: 'sheet', sheet: preset.id });
    else if (canDesign) setTarget({ kind: 'new', name: baseName(item.fileName) });
    else if (sheets[0]) setTarget({ kind: 'sheet', sheet: sheets[0].id });
  }, [target, allSheets, access, sheets, presetSheet, canDesign, item.fileName]);

  const sheet = target?.kind === 'sheet' ? sheets.find((s) => s.id === target.sheet) : undefined;
  const columnsVersion = item.columns.map((c) => `${c.name}:${c.type}`).join('|');
  const suggestion = useSuggestedMapping(ws, item.id, target?.kind === 'sheet' ? target.sheet : undefined, columnsVersion, target !== undefined);
  // The user's mapping starts again only when the suggestion does (another target, the file read otherwise), never
  // because the same import was fetched again.
  const columns = item.columns;
  useEffect(() => {
    if (suggestion.data) setDrafts(draftsFrom(suggestion.data.mapping, columns));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- columnsVersion stands for the columns
  }, [suggestion.data, columnsVersion]);

  const fields = sheet ? fillable(sheet.fields) : [];
  const mappedFields = fields.filter((f) => Object.values(drafts).some((d) => d.kind === 'field' && d.field === f.name));
  const dateColumns = item.columns.filter((c) => c.dateOrder);

  const refused = (err: unknown) => {
    const places = fieldErrors(err, t);
    setErrors(places);
    // Problems with a place are said there; the general line then only points at them.
    setError(Object.keys(places).length ? { message: t('imports.error.marked') } : shownError(err, t));
    const first = Object.keys(places)[0];
    if (first) setStep(stepOf(first));
  };

  const readAgain = async (settings: { encoding?: string; worksheet?: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      client.setQueryData(importKey(ws, item.id), await previewAgain(ws, item.id, settings));
    } catch (err) {
      refused(err);
    } finally {
      setBusy(false);
    }
  };

  const start = async () => {
    if (!target) return;
    setBusy(true);
    setErrors({});
    setError(undefined);
    const body: StartBody = {
      ...(target.kind === 'sheet' ? { sheet: target.sheet } : { newSheet: target.name.trim() }),
      mapping: mappingOf(drafts),
      mode: target.kind === 'sheet' ? options.mode : 'insert',
      ...(target.kind === 'sheet' && options.mode === 'upsert' ? { key: options.key } : {}),
      onError: options.onError,
      ...(options.createMissingLinks ? { createMissingLinks: true } : {}),
      ...(dateColumns.length ? { dateOrder: options.dateOrder } : {}),
    };
    try {
      client.setQueryData(importKey(ws, item.id), await startImport(ws, item.id, body));
      void client.invalidateQueries({ queryKey: importsKey(ws) });
    } catch (err) {
      refused(err);
      setBusy(false);
    }
  };

  const discard = async () => {
    try {
      await cancelImport(ws, item.id);
      void client.invalidateQueries({ queryKey: importsKey(ws) });
      navigate(`/w/${ws}/imports`);
    } catch (err) {
      setError(shownError(err, t));
    }
  };

  const steps: Step[] = ['preview', 'map', 'options'];
  const at = steps.indexOf(step);
  return (
    <div className="import-setup">
      <StepList current={step} onGo={setStep} />
      {step === 'preview' && (
        <section aria-labelledby="import-step-title">
          <h2 id="import-step-title" className="visually-hidden">{t('imports.step.preview')}</h2>
          <ReadSettings item={item} busy={busy} onChange={(settings) => void readAgain(settings)} />
          <ErrorText shown={errors.encoding ?? errors.worksheet} />
          <PreviewTable columns={item.columns} />
        </section>
      )}
      {step === 'map' && target && (
        <section aria-labelledby="import-step-title">
          <h2 id="import-step-title" className="visually-hidden">{t('imports.step.map')}</h2>
          <TargetPicker target={target} sheets={sheets} canDesign={canDesign} errors={errors} onChange={setTarget} suggestedName={baseName(item.fileName)} />
          <ErrorText shown={errors.mapping ?? (suggestion.isError ? shownError(suggestion.error, t) : undefined)} />
          <MappingTable columns={item.columns} drafts={drafts} fields={fields} canDesign={canDesign} errors={errors} onChange={(column, draft) => setDrafts({ ...drafts, [column]: draft })} />
        </section>
      )}
      {step === 'options' && (
        <section aria-labelledby="import-step-title">
          <h2 id="import-step-title" className="visually-hidden">{t('imports.step.options')}</h2>
          <ImportOptions
            options={options}
            keyFields={target?.kind === 'sheet' ? mappedFields : undefined}
            links={mappedFields.some((f) => f.type === 'link')}
            dates={dateColumns.length ? { guessed: dateColumns.some((c) => c.dateOrderGuessed) } : undefined}
            errors={errors}
            onChange={setOptions}
          />
          <p className="hint">{t('imports.summary', { rows: item.rowCount, columns: Object.values(drafts).filter((d) => d.kind !== 'skip').length })}</p>
        </section>
      )}
      <ErrorText shown={error} />
      <div className="form-actions import-actions">
        {at > 0 && (
          <button type="button" className="button" onClick={() => setStep(steps[at - 1]!)}>
            {t('imports.back')}
          </button>
        )}
        {at < steps.length - 1 ? (
          <button type="button" className="button primary" onClick={() => setStep(steps[at + 1]!)} disabled={busy || (step === 'preview' && !target)}>
            {t('imports.next')}
          </button>
        ) : (
          <button type="button" className="button primary" onClick={() => void start()} disabled={busy || !target}>
            {t('imports.start', { rows: item.rowCount })}
          </button>
        )}
        <span className="spacer" />
        <button type="button" className="button" onClick={() => void discard()}>
          {t('imports.discard')}
        </button>
      </div>
    </div>
  );
}
