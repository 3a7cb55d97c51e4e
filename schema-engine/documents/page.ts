/**
 * The page a rendered template is served in: A4, print CSS (margins, rows never split, table headers repeating on
 * every page, a header and footer on every printed page, page numbers) and a strict CSP (no scripts at all).
 */
export const DOCUMENT_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Classes a template may use: `doc-header` and `doc-footer` (repeated on every printed page), `num` (right-aligned
 * figures), `muted`, `columns` (side by side blocks), `totals` (a right-hand summary table, `grand` on its last row),
 * `fields` (label / value rows), `keep` (never split across pages), `page-break` (start a new page), `badge`, `sign` (a
 * line to sign on, with its caption).
 */
export const DOCUMENT_CSS = `
:root { --doc-accent: #1f4e79; --doc-text: #1d2433; --doc-muted: #667085; --doc-line: #d8dde6; --doc-soft: #f4f6f9;
  --doc-header-space: 20mm; --doc-footer-space: 12mm; color-scheme: light; }
@page { size: A4; margin: 14mm 16mm 16mm;
  @bottom-right { content: counter(page) " / " counter(pages); font: 8pt system-ui, sans-serif; color: #667085; } }
* { box-sizing: border-box; }
html { background: #e9ecf1; }
body { margin: 0; color: var(--doc-text); font: 10pt/1.5 "Inter", "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial,
  "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.sheet { width: 210mm; min-height: 297mm; margin: 10mm auto; padding: 14mm 16mm 16mm; background: #fff;
  box-shadow: 0 1px 3px rgba(16, 24, 40, .1), 0 8px 24px rgba(16, 24, 40, .08); }
h1 { font-size: 20pt; line-height: 1.2; margin: 0 0 3mm; color: var(--doc-accent); letter-spacing: -.01em; }
h2 { font-size: 12pt; margin: 7mm 0 2mm; color: var(--doc-accent); }
h3 { font-size: 10.5pt; margin: 5mm 0 1.5mm; }
p { margin: 0 0 3mm; }
a { color: inherit; }
img { max-width: 100%; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 6mm; }
th, td { padding: 2mm 2.5mm; text-align: left; vertical-align: top; }
thead th { font-size: 8pt; font-weight: 600; text-transform: uppercase; letter-spacing: .05em; color: var(--doc-muted);
  border-bottom: 1.2pt solid var(--doc-accent); white-space: nowrap; }
tbody td { border-bottom: .5pt solid var(--doc-line); }
tbody tr:nth-child(even) td { background: var(--doc-soft); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.muted { color: var(--doc-muted); }
.badge { display: inline-block; padding: .3mm 2mm; border-radius: 3mm; background: var(--doc-soft); font-size: 8.5pt; }
.columns { display: flex; gap: 10mm; margin: 0 0 6mm; } .columns > * { flex: 1; }
.fields th { width: 34%; font-weight: 500; color: var(--doc-muted); text-transform: none; letter-spacing: 0; font-size: 9pt; border: 0; }
.fields td, .fields tr:nth-child(even) td { background: none; }
table.totals { width: auto; min-width: 45%; margin-left: auto; }
.totals th, .totals td { border: 0; background: none !important; padding: 1mm 2.5mm; font-size: 10pt; text-transform: none; letter-spacing: 0; color: inherit; }
.totals th { text-align: left; font-weight: 400; color: var(--doc-muted); }
.totals td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.totals .grand th, .totals .grand td { border-top: 1.2pt solid var(--doc-accent); font-weight: 700; font-size: 12pt; color: var(--doc-text); padding-top: 2mm; }
.doc-header { display: flex; justify-content: space-between; align-items: flex-end; gap: 8mm; padding-bottom: 3mm;
  margin-bottom: 8mm; border-bottom: .5pt solid var(--doc-line); }
.doc-footer { margin-top: 10mm; padding-top: 2mm; border-top: .5pt solid var(--doc-line); font-size: 8pt; color: var(--doc-muted); }
.keep { break-inside: avoid; }
.sign { margin-top: 14mm; padding-top: 1mm; border-top: .5pt solid var(--doc-text); font-size: 8.5pt; color: var(--doc-muted); }
.page-break { break-before: page; }
table.doc-frame { margin: 0; }
.doc-frame > * > tr > td { padding: 0; border: 0; background: none; }
.doc-frame > thead, .doc-frame > tfoot { display: none; }
@media print {
  html { background: none; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  tr, img, .keep { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
  .doc-header { position: fixed; top: 0; left: 0; right: 0; height: calc(var(--doc-header-space) - 4mm); margin: 0; }
  .doc-footer { position: fixed; bottom: 0; left: 0; right: 0; margin: 0; }
  body:has(.doc-header) .doc-frame > thead { display: table-header-group; }
  body:has(.doc-footer) .doc-frame > tfoot { display: table-footer-group; }
  .doc-frame > thead > tr > td { height: var(--doc-header-space); }
  .doc-frame > tfoot > tr > td { height: var(--doc-footer-space); }
  /* The last block's bottom margin (6 mm at most) collapses into this, so it cannot push the closing footer spacer,
     and with it a blank last page, past the end of a page that the content itself fits on. */
  .doc-frame > tbody > tr > td::after { content: ''; display: block; margin-top: -6mm; }
}
`;

const FULL_DOCUMENT = /^\s*(?:<!--[\s\S]*?-->\s*)*(?:<!doctype|<html)/i;

/**
 * The rendered HTML in the page: a template that writes its own `<html>` is served as it is; anything else goes in
 * the A4 sheet with the stylesheet above (a template's own `<style>` comes after it, so it wins).
 */
export function documentPage(body: string, title: string, locale: string): string {
  if (FULL_DOCUMENT.test(body)) return body;
  return `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(DOCUMENT_CSP.replace("; frame-ancestors 'self'", ''))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${DOCUMENT_CSS}</style>
</head>
<body>
<div class="sheet">
<table class="doc-frame" role="presentation">
<thead><tr><td></td></tr></thead>
<tfoot><tr><td></td></tr></tfoot>
<tbody><tr><td>
${body}
</td></tr></tbody>
</table>
</div>
</body>
</html>
`;
}
