import type { ApiClient, SheetJson } from './api.js';
import { COMPANIES, PRODUCTS, SHEET_FIELDS, STAGES, TAGS } from './data.js';
import { seedThroughApi, type BatchResult } from './seed.js';

export const GRID_SHEET = 'Scroll deals';
export const FORM_SHEET = 'Form of 40';
const FORM_LINKED_SHEET = 'Form accounts';

/** The grid's sheet: the mixed-type fields of the API cases, `total` records through the API in batches of 1000. */
export async function seedGridSheet(api: ApiClient, ws: string, total: number, inFlight: number, log: (line: string) => void): Promise<{ sheet: SheetJson; batch: BatchResult }> {
  const sheet = await api.post<SheetJson>(`/api/w/${ws}/sheets`, { name: GRID_SHEET, fields: SHEET_FIELDS });
  let reported = 0;
  const { batch } = await seedThroughApi(api, `/api/w/${ws}/sheets/${sheet.id}/records`, total, inFlight, (done) => {
    if (done - reported >= total / 5 || done === total) {
      reported = done;
      log(`  grid sheet: ${done.toLocaleString('en-US')} records`);
    }
  });
  return { sheet, batch };
}

const choices = (names: readonly string[]) => ({ choices: names.slice(0, 12).map((name) => ({ name })) });

/** One stored field per common type, in turn, with a value for each. */
const STORED: { type: string; options?: Record<string, unknown>; value: (n: number) => unknown }[] = [
  { type: 'text', value: (n) => `Text value ${n}` },
  { type: 'long_text', value: (n) => `A longer note, field ${n}.\nIt has a second line.` },
  { type: 'email', value: (n) => `person${n}@example.com` },
  { type: 'phone', value: (n) => `+886 2 2345 ${String(6000 + n)}` },
  { type: 'url', value: (n) => `https://example.com/${n}` },
  { type: 'number', options: { precision: 2 }, value: (n) => n * 12.5 },
  { type: 'currency', options: { currency: 'TWD', precision: 0 }, value: (n) => n * 1000 },
  { type: 'percent', options: { precision: 1 }, value: (n) => (n % 10) / 10 },
  { type: 'date', value: (n) => `2026-0${(n % 9) + 1}-1${n % 10}` },
  { type: 'datetime', value: (n) => `2026-05-${10 + (n % 18)}T09:30:00.000Z` },
  { type: 'checkbox', value: (n) => n % 2 === 0 },
  { type: 'single_select', options: choices(STAGES), value: (n) => STAGES[n % STAGES.length] },
  { type: 'multi_select', options: choices(TAGS), value: (n) => [TAGS[n % TAGS.length], TAGS[(n + 1) % TAGS.length]] },
  { type: 'rating', options: { max: 5 }, value: (n) => (n % 5) + 1 },
  { type: 'multi_select', options: choices(PRODUCTS), value: (n) => [PRODUCTS[n % PRODUCTS.length]] },
  { type: 'user', value: () => 'bench@example.com' },
  { type: 'attachment', value: () => undefined },
];

/**
 * The form's sheet: 40 fields of mixed types (a primary text, 35 stored fields of 16 types in turn, a link to
 * another sheet, a lookup through it and two formulas), and one record with every stored field filled (but the file).
 */
export async function seedFormSheet(api: ApiClient, ws: string): Promise<{ sheet: SheetJson; recordId: string }> {
  const accounts = await api.post<SheetJson>(`/api/w/${ws}/sheets`, { name: FORM_LINKED_SHEET, fields: [{ name: 'Name', type: 'text' }, { name: 'Sector', type: 'text' }] });
  const account = await api.post<{ id: string }>(`/api/w/${ws}/sheets/${accounts.id}/records`, { fields: { Name: COMPANIES[0], Sector: 'Technology' } });
  const stored = Array.from({ length: 35 }, (_, i) => ({ ...STORED[i % STORED.length]!, name: `Field ${String(i + 1).padStart(2, '0')}` }));
  const fields = [
    { name: 'Name', type: 'text' },
    ...stored.map(({ name, type, options }) => ({ name, type, ...(options ? { options } : {}) })),
    { name: 'Account', type: 'link', options: { sheet: accounts.id, relationship: 'many_to_one' } },
  ];
  const sheet = await api.post<SheetJson>(`/api/w/${ws}/sheets`, { name: FORM_SHEET, fields });
  const computed = [
    { name: 'Sector', type: 'lookup', options: { link: 'Account', field: 'Sector' } },
    { name: 'Total', type: 'formula', options: { expression: '{Field 06} + {Field 07}' } },
    { name: 'Label', type: 'formula', options: { expression: '{Name} & " · " & {Field 01}' } },
  ];
  for (const field of computed) await api.post(`/api/w/${ws}/sheets/${sheet.id}/fields`, field);
  const values = Object.fromEntries(stored.flatMap((f, i) => (f.value(i) === undefined ? [] : [[f.name, f.value(i)]])));
  const record = await api.post<{ id: string }>(`/api/w/${ws}/sheets/${sheet.id}/records`, { fields: { Name: 'Forty fields', ...values, Account: [account.id] } });
  const full = await api.get<SheetJson>(`/api/w/${ws}/sheets/${sheet.id}`);
  if (full.fields.length !== 40) throw new Error(`the form's sheet has ${full.fields.length} fields, not 40`);
  return { sheet: full, recordId: record.id };
}
