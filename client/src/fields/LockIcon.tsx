/** A small padlock (drawn, not an emoji: a machine without an emoji font shows a box instead); `label` names why. */
export function LockIcon({ label }: { label?: string }) {
  return (
    <span className="locked-mark" {...(label ? { role: 'img', 'aria-label': label, title: label } : { 'aria-hidden': true })}>
      <svg width="10" height="12" viewBox="0 0 10 12" aria-hidden="true">
        <path d="M2.5 5V3.5a2.5 2.5 0 0 1 5 0V5" fill="none" stroke="currentColor" strokeWidth="1.3" />
        <rect x="1" y="5" width="8" height="6.5" rx="1.2" fill="currentColor" />
      </svg>
    </span>
  );
}
