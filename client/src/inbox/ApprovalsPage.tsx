import { useI18n } from '../i18n/i18n.js';
import { useMyApprovals } from './api.js';
import { ApprovalCard } from './ApprovalCard.js';
import './inbox.css';

/** /approvals: every approval waiting for the caller, in all their workspaces, oldest request first. */
export function ApprovalsPage() {
  const { t } = useI18n();
  const approvals = useMyApprovals();
  const list = [...(approvals.data ?? [])].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  return (
    <section className="inbox-page">
      <h1>{t('inbox.approvals')}</h1>
      <p className="muted">{t('inbox.approvalsIntro')}</p>
      {approvals.isPending && <p className="loading">{t('grid.loading')}</p>}
      {approvals.isError && <p className="error">{approvals.error.message}</p>}
      {approvals.isSuccess && list.length === 0 && <p className="empty">{t('inbox.noApprovals')}</p>}
      {list.map((a) => (
        <ApprovalCard key={a.id} approval={a} />
      ))}
    </section>
  );
}

/** On a record page: the approvals of this record waiting for the caller, to decide there. */
export function RecordApprovals({ ws, sheetId, recordId }: { ws: string; sheetId: string; recordId: string }) {
  const { t } = useI18n();
  const approvals = useMyApprovals();
  const mine = (approvals.data ?? []).filter((a) => a.workspaceId === ws && a.sheetId === sheetId && a.recordId === recordId);
  if (!mine.length) return null;
  return (
    <section className="record-approvals" aria-label={t('inbox.waitingForYou')}>
      <h2>{t('inbox.waitingForYou')}</h2>
      {mine.map((a) => (
        <ApprovalCard key={a.id} approval={a} showRecordLink={false} />
      ))}
    </section>
  );
}
