import { useState } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import { useDecide, type Approval } from './api.js';
import { formatWhen } from './when.js';

/** One pending approval: what is asked, when, a link to its record, and Approve / Reject with an optional comment. */
export function ApprovalCard({ approval, showRecordLink = true }: { approval: Approval; showRecordLink?: boolean }) {
  const { t, locale } = useI18n();
  const decide = useDecide();
  const [comment, setComment] = useState('');
  const commentId = `approval-comment-${approval.id}`;
  const send = (decision: 'approve' | 'reject') => decide.mutate({ approval, decision, comment });
  const error = decide.error instanceof ApiError || decide.error instanceof Error ? decide.error.message : decide.error ? t('inbox.decideFailed') : null;
  return (
    <article className="approval card" aria-label={approval.title}>
      <header className="approval-head">
        <h3>{approval.title}</h3>
        <span className="muted small">{t('inbox.requestedAt', { when: formatWhen(approval.requestedAt, locale) })}</span>
      </header>
      <p className="approval-message">{approval.message}</p>
      {showRecordLink && approval.sheetId && approval.recordId && (
        <Link href={`/w/${approval.workspaceId}/s/${approval.sheetId}/r/${approval.recordId}`} className="small">
          {t('inbox.openRecord')}
        </Link>
      )}
      <label htmlFor={commentId} className="label">
        {t('inbox.comment')}
      </label>
      <textarea id={commentId} className="input" rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} disabled={decide.isPending} />
      <div className="approval-actions">
        <button type="button" className="button primary" disabled={decide.isPending} onClick={() => send('approve')}>
          {t('inbox.approve')}
        </button>
        <button type="button" className="button danger" disabled={decide.isPending} onClick={() => send('reject')}>
          {t('inbox.reject')}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
