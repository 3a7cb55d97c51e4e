import type { Shown } from './errors.js';

/** A refusal shown where it applies: the sentence in the user's language, the server's words beneath. */
export function ErrorText({ shown, id }: { shown: Shown | undefined; id?: string }) {
  if (!shown) return null;
  return (
    <p className="error" role="alert" id={id}>
      {shown.message}
      {shown.detail && shown.detail !== shown.message && <span className="error-detail">{shown.detail}</span>}
    </p>
  );
}
