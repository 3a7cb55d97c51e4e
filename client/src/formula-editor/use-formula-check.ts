import { useEffect, useState } from 'react';
import { api } from '../api/http.js';
import { sheetPath } from '../api/queries.js';

export type FormulaCheckState = { state: 'idle' } | { state: 'valid'; type: string } | { state: 'invalid'; message: string; position: number };

type Answer = { valid: true; result: { type: string } } | { valid: false; message: string; position: number };

const DELAY_MS = 300;

/** The server's verdict on a formula (POST …/formula-check), asked a moment after typing stops, in `locale`. */
export function useFormulaCheck(ws: string, sheetId: string, expression: string, fieldId: string | undefined, locale: string): FormulaCheckState {
  const [state, setState] = useState<FormulaCheckState>({ state: 'idle' });
  useEffect(() => {
    if (!expression.trim()) {
      setState({ state: 'idle' });
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      const body = { expression, ...(fieldId ? { field: fieldId } : {}) };
      api<Answer>('POST', `${sheetPath(ws, sheetId)}/formula-check`, body, { 'accept-language': locale })
        .then((answer) => {
          if (!current) return;
          setState(answer.valid ? { state: 'valid', type: answer.result.type } : { state: 'invalid', message: answer.message, position: answer.position });
        })
        // Not knowing is no verdict: saving still answers with the reason.
        .catch(() => current && setState({ state: 'idle' }));
    }, DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [ws, sheetId, expression, fieldId, locale]);
  return state;
}
