import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { documentPage } from './page.js';
import { compileTemplate } from './template.js';

const render = (source: string, data: unknown, locale = 'en') => compileTemplate(source)(data, locale);
const problem = (source: string, data: unknown = {}) => {
  try {
    render(source, data);
  } catch (error) {
    if (error instanceof EngineError) return { status: error.status, ...error.details };
    throw error;
  }
  throw new Error('no error');
};

describe('document templates', () => {
  it('formats currency, numbers, percents and dates by locale', () => {
    const data = { Total: 1234.5, Qty: 3, Rate: 0.125, Day: '2026-11-22', At: '2026-11-22T09:30:00.000Z', Prices: [1.1, 2.2] };
    expect(render('{{currency Total "USD"}}|{{number Qty 2}}|{{percent Rate 1}}|{{date Day}}|{{currency Prices "EUR"}}', data)).toBe(
      '$1,234.50|3.00|12.5%|Nov 22, 2026|€3.30',
    );
    expect(render('{{currency Total "TWD" 0}}|{{date Day "long"}}|{{datetime At}}', data, 'zh-TW')).toBe('$1,235|2026年11月22日|2026年11月22日 上午9:30');
    expect(render('{{currency Missing "USD"}}{{date Missing}}{{number "abc"}}', data)).toBe('');
  });

  it('sums exactly, counts, joins titles and compares', () => {
    const data = { Lines: [{ Total: 0.1, Product: [{ id: '1', title: 'Widget' }] }, { Total: 0.2, Product: [{ id: '2', title: 'Gadget' }] }], Stage: 'Won', Tags: ['a', 'b'] };
    expect(render('{{sum Lines "Total"}}|{{count Lines}}|{{#each Lines}}{{inc @index}}.{{join Product}} {{/each}}|{{join Tags " / "}}', data)).toBe('0.3|2|1.Widget 2.Gadget |a / b');
    expect(render('{{#if (eq Stage "Won")}}yes{{else}}no{{/if}} {{#if (gt (sum Lines "Total") 1)}}big{{else}}small{{/if}} {{default Nope "—"}}', data)).toBe('yes small —');
    expect(render('{{multiply 3 0.1}} {{add 0.1 0.2}}', data)).toBe('0.3 0.3');
  });

  it('escapes values, keeps line breaks safe with `lines`', () => {
    expect(render('{{Name}}|{{lines Address}}', { Name: '<script>alert(1)</script>', Address: 'No. 1 <b>\nTaipei' })).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;|No. 1 &lt;b&gt;<br>Taipei',
    );
  });

  it('reads nothing through prototypes', () => {
    expect(render('[{{constructor.constructor}}|{{__proto__}}|{{constructor}}|{{lookup this "constructor"}}|{{#with __proto__}}x{{/with}}|{{Name.constructor}}]', { Name: 'abc' })).toBe('[|||||]');
  });

  it('reports syntax errors with their line and column', () => {
    expect(problem('<p>\n  {{#if Name}}x{{/each}}')).toMatchObject({ status: 400, kind: 'syntax', line: 2, column: 6, message: "if doesn't match each" });
    expect(problem('a\nb {{Name')).toMatchObject({ status: 400, kind: 'syntax', line: 2, column: 5, message: expect.stringMatching(/left open/) });
    expect(problem('<p>\n  {{#each L}}{{x}}</p>')).toMatchObject({ line: 2, column: 3, message: '{{#each}} is not closed: its {{/each}} is missing' });
    expect(problem('{{#each L}}{{/each}}{{/each}}')).toMatchObject({ line: 1, column: 21, message: 'this {{/…}} closes no open block' });
    expect(problem('\n\n{{nope Name}}')).toMatchObject({ kind: 'syntax', line: 3, column: 3, message: expect.stringMatching(/no helper "nope"/) });
    expect(problem('{{> header}}')).toMatchObject({ kind: 'syntax', line: 1, message: expect.stringMatching(/partials/) });
    expect(problem('{{#*inline "x"}}y{{/inline}}')).toMatchObject({ kind: 'syntax', message: expect.stringMatching(/decorators/) });
    expect(problem('x'.repeat(300 * 1024))).toMatchObject({ kind: 'syntax', message: expect.stringMatching(/256 KB/) });
  });

  it('reports runtime errors and stops runaway loops', () => {
    expect(problem('{{#each}}x{{/each}}')).toMatchObject({ status: 400, kind: 'runtime', message: 'Must pass iterator to #each' });
    const many = Array.from({ length: 400 }, (_, i) => i);
    expect(problem('{{#each L}}{{#each ../L}}{{#each ../../L}}.{{/each}}{{/each}}{{/each}}', { L: many })).toMatchObject({ kind: 'runtime', message: expect.stringMatching(/more than 100000/) });
  });

  it('wraps a fragment in the A4 page and leaves a whole document alone', () => {
    const page = documentPage('<h1>Q</h1>', 'Quote · <Q-1>', 'zh-TW');
    expect(page).toMatch(/^<!doctype html>\n<html lang="zh-TW">/);
    expect(page).toContain('<title>Quote · &lt;Q-1&gt;</title>');
    expect(page).toContain('size: A4');
    expect(page).toContain('<h1>Q</h1>');
    expect(documentPage('<!DOCTYPE html><html><body>x</body></html>', 't', 'en')).toBe('<!DOCTYPE html><html><body>x</body></html>');
  });
});
