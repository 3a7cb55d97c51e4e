import { useQueryClient } from '@tanstack/react-query';
import { RecordScope } from '../fields/record-scope.js';
import { Link, useLocation } from 'wouter';
import { lockAll, sheetAccessOf, useAccess } from '../api/access.js';
import { recordChanged, useRecord, useSheets } from '../api/queries.js';
import { useReleaseLeave } from '../app/leave-guard.js';
import { useToast } from '../app/toasts.js';
import { RecordForm } from '../form/RecordForm.js';
import { useLockOf } from '../form/lock-rules.js';
import { useI18n } from '../i18n/i18n.js';
import { History } from '../record/History.js';
import { ConvertDialog, useConversions } from '../record/ConvertDialog.js';
import { OtherFields } from '../record/OtherFields.js';
import { DocumentsMenu } from '../documents/DocumentsMenu.js';
import { NewLinkedMenu } from '../record/NewLinkedMenu.js';
import { RecordButtons } from '../workflows/RecordButtons.js';
import type { ConversionJson } from '../../../schema-engine/index.js';
import { RecordApprovals } from '../inbox/ApprovalsPage.js';
import { useState } from 'react';
import { useDeleteRecords } from '../record/delete-records.js';

/** A record at its own URL: its form (edit in place), linked records, history, delete and restore. */
export function RecordPage({ ws, sheet: sheetRef, recordId }: { ws: string; sheet: string; recordId: string }) {
  const { t } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const sheet = useSheets(ws).data?.find((s) => s.id === sheetRef || s.name === sheetRef);
  const record = useRecord(ws, sheet?.id ?? sheetRef, recordId);
  const conversions = useConversions(ws, sheet?.id ?? sheetRef).data ?? [];
  const [converting, setConverting] = useState<ConversionJson | null>(null);
  const access = useAccess(ws);
  const grant = sheetAccessOf(access, sheet?.id ?? sheetRef);
  const release = useReleaseLeave();
  const deleting = useDeleteRecords(ws, sheet);
  const lockOf = useLockOf(ws, sheet);
  if (!sheet || record.isPending) return <p className="loading">{t('grid.loading')}</p>;
  if (!record.data) {
    // An approver whose role cannot read the record still decides on what the approval says.
    return (
      <>
        <p className="error">{record.error instanceof Error ? record.error.message : t('toast.error')}</p>
        <RecordApprovals ws={ws} sheetId={sheet.id} recordId={recordId} />
      </>
    );
  }
  const primary = sheet.fields.find((f) => f.id === sheet.primaryFieldId);
  // A record a lock rule holds whole (an accepted quote) cannot be deleted either.
  const lockedAll = lockOf(record.data.fields)?.all;
  const title = primary ? String(record.data.fields[primary.name] ?? recordId) : recordId;

  /** Why a conversion cannot run on this record now (converted already, or not in the state it requires). */
  const unavailable = ({ spec }: ConversionJson): string | undefined => {
    const value = (fieldId: string) => record.data.fields[sheet.fields.find((f) => f.id === fieldId)?.name ?? ''];
    if (spec.mark && value(spec.mark.fieldId) === spec.mark.value) return t('convert.already', { value: spec.mark.value });
    const field = spec.requires && sheet.fields.find((f) => f.id === spec.requires!.fieldId);
    if (spec.requires && field && value(field.id) !== spec.requires.value) return t('convert.needs', { field: field.name, value: spec.requires.value });
    return undefined;
  };

  const here = `/w/${ws}/s/${sheet.id}/r/${recordId}`;
  const grid = `/w/${ws}/s/${sheet.id}`;
  const askDelete = () =>
    deleting.ask({
      records: [record.data],
      onDeleted: () => {
        release();
        navigate(grid);
      },
      // Undone while still on the grid it went to: back to the record.
      onRestored: () => window.location.pathname === grid && navigate(here),
    });

  const canUpdate = !sheet.noUpdate && record.data.can?.update !== false;
  return (
    <RecordScope.Provider value={{ ws, sheet: sheet.id, record: recordId, canUpdate }}>
      <section className="record-page">
        <Link href={`/w/${ws}/s/${sheet.id}`} className="back">
          ← {t('record.back', { sheet: sheet.name })}
        </Link>
        <div className="record-head">
          <h1>{title}</h1>
          {conversions.map((c) => {
            const why = unavailable(c);
            return (
              <button key={c.id} type="button" className="button primary" disabled={why !== undefined} title={why} onClick={() => setConverting(c)}>
                {c.name}
              </button>
            );
          })}
          <RecordButtons ws={ws} sheet={sheet.id} recordId={recordId} canUpdate={canUpdate} />
          <NewLinkedMenu ws={ws} sheet={sheet} recordId={recordId} />
          <DocumentsMenu ws={ws} sheet={sheet.id} recordId={recordId} canDesign={access?.design === true} />
          {grant.delete !== 'none' && record.data.can?.delete !== false && (
            <button type="button" className="button danger" disabled={lockedAll !== undefined} title={lockedAll !== undefined ? t('lock.recordLocked', { message: lockedAll }) : undefined} onClick={askDelete}>
              {t('record.delete')}
            </button>
          )}
        </div>
        <RecordApprovals ws={ws} sheetId={sheet.id} recordId={recordId} />
        <div className="record-layout">
          <RecordForm
            // Not keyed by version: a newer version must not wipe what is typed (the form adopts it when nothing is).
            key={record.data.id}
            workspaceId={ws}
            // A role that updates none of the sheet's records, or not this one (another's, under an "own" scope), sees
            // every field read-only.
            sheet={sheet.noUpdate || record.data.can?.update === false ? lockAll(sheet) : sheet}
            record={record.data}
            onSaved={(saved) => {
              recordChanged(client, ws, sheet.id, saved);
              toast(t('form.saved'));
            }}
          />
          <aside>
            <OtherFields ws={ws} sheet={sheet} record={record.data} />
            <h2>{t('record.history')}</h2>
            <History ws={ws} sheet={sheet} recordId={recordId} />
          </aside>
        </div>
        {deleting.dialog}
        {converting && <ConvertDialog ws={ws} sheet={sheet} record={record.data} conversion={converting} onClose={() => setConverting(null)} />}
      </section>
    </RecordScope.Provider>
  );
}
