import { useEffect, useState } from 'react';
import { ApiError } from '../api/http.js';
import { fetchPreview, templateProblem, type TemplateProblem } from './api.js';

export interface PreviewState {
  /** The last page rendered well (kept while the template has an error, so the preview does not flash). */
  html: string;
  problem: TemplateProblem | null;
  busy: boolean;
}

/** The template rendered by the server for a record, `delay` ms after the last change; older requests are aborted. */
export function usePreview(ws: string, sheet: string, template: string, recordId: string | undefined, locale: string, delay = 400): PreviewState {
  const [state, setState] = useState<PreviewState>({ html: '', problem: null, busy: false });

  useEffect(() => {
    if (!recordId) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, busy: true }));
    const timer = setTimeout(() => {
      fetchPreview(ws, sheet, { template, recordId, locale }, controller.signal)
        .then((html) => setState({ html, problem: null, busy: false }))
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          const problem = templateProblem(error) ?? { message: error instanceof ApiError ? error.message : String(error) };
          setState((s) => ({ html: s.html, problem, busy: false }));
        });
    }, delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [ws, sheet, template, recordId, locale, delay]);

  return state;
}
