import { describe, expect, it } from 'vitest';
import { scanClient, scanSource } from './helpers/ui-strings.js';

describe('every text the client shows comes from the catalogue', () => {
  it('has no text written in the components', () => {
    expect(scanClient(process.cwd()).map((hit) => `${hit.file}:${hit.line}: ${JSON.stringify(hit.text)}`)).toEqual([]);
  });

  it('sees each kind of written text (the scan can fail)', () => {
    const source = `
      const LABELS = { in: 'is any of', className: 'btn primary', key: 'single_select' };
      export function X({ t, ok }) {
        if (!window.confirm('Delete it?')) return null;
        toast(ok ? t('saved') : 'Failed');
        return (
          <div title="Hello" aria-label={t('x')} className="some class">
            Save now
            {ok ? 'Yes' : t('no')}
            <Dialog label="Name" heading={\`Hi \${ok}\`} placeholder="https://" />
            <span>· × 42 {t('count', { n: 2 })}</span>
          </div>
        );
      }`;
    expect(scanSource('x.tsx', source).map((hit) => hit.text)).toEqual(['is any of', 'Delete it?', 'Failed', 'Hello', 'Save now', 'Yes', 'Name', 'Hi']);
  });
});
