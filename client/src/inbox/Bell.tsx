import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useI18n } from '../i18n/i18n.js';
import { appPath, useMarkRead, useMyApprovals, useNotifications } from './api.js';
import { formatWhen } from './when.js';
import './inbox.css';

/** How many notifications the dropdown lists (the newest; the server keeps 200). */
const SHOWN = 20;

/** The top bar's bell: the unread count, and a dropdown of the latest notifications, all marked read when opened. */
export function NotificationBell() {
  const { t, locale } = useI18n();
  const [, navigate] = useLocation();
  const notifications = useNotifications();
  const markRead = useMarkRead();
  const [open, setOpen] = useState(false);
  // What was unread when the list opened stays marked as new while it is open (the server has it read by then).
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const box = useRef<HTMLDivElement>(null);
  const list = notifications.data ?? [];
  const unread = list.filter((n) => !n.read);

  // Closes on a click elsewhere or Escape, as a menu does.
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);

  const toggle = () => {
    const next = !open;
    setOpen(next);
    // Seen once the list is open: the badge goes.
    if (next) setFresh(new Set(unread.map((n) => n.id)));
    if (next && unread.length) markRead.mutate(unread.map((n) => n.id));
  };

  return (
    <div className="bell" ref={box}>
      <button
        type="button"
        className="button small bell-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={unread.length ? t('inbox.bellUnread', { count: unread.length }) : t('inbox.bell')}
        title={t('inbox.bell')}
        onClick={toggle}
      >
        <BellIcon />
        {unread.length > 0 && (
          <span className="count-badge" data-testid="bell-count">
            {unread.length > 99 ? '99+' : unread.length}
          </span>
        )}
      </button>
      {open && (
        <div className="bell-menu card" role="menu" aria-label={t('inbox.notifications')}>
          <h2>{t('inbox.notifications')}</h2>
          {notifications.isPending && <p className="muted small">{t('grid.loading')}</p>}
          {!notifications.isPending && list.length === 0 && <p className="muted small">{t('inbox.noNotifications')}</p>}
          <ul>
            {list.slice(0, SHOWN).map((n) => {
              const body = (
                <>
                  <span className="bell-message">{n.message}</span>
                  <span className="muted small">{formatWhen(n.at, locale)}</span>
                </>
              );
              return (
                <li key={n.id} className={n.read && !fresh.has(n.id) ? 'bell-item' : 'bell-item unread'} role="menuitem">
                  {n.link ? (
                    <a
                      href={appPath(n.link)}
                      onClick={(e) => {
                        e.preventDefault();
                        setOpen(false);
                        if (!n.read) markRead.mutate([n.id]);
                        navigate(appPath(n.link!));
                      }}
                    >
                      {body}
                    </a>
                  ) : (
                    <div>{body}</div>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </div>
  );
}

/** The approvals waiting for the caller, as a link with their count (hidden when there are none). */
export function ApprovalsLink() {
  const { t } = useI18n();
  const approvals = useMyApprovals();
  const count = approvals.data?.length ?? 0;
  if (!count) return null;
  return (
    <Link href="/approvals" className="button small approvals-link" aria-label={t('inbox.approvalsCount', { count })} title={t('inbox.approvals')}>
      <span className="approvals-label">{t('inbox.approvals')}</span>
      <span className="count-badge" data-testid="approvals-count">
        {count}
      </span>
    </Link>
  );
}

function BellIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
      <path d="M13.7 21a2 2 0 0 1-3.4 0" />
    </svg>
  );
}
