import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Realistic values from the Maven CRM sample (names, accounts, products, stages), drawn with a seeded generator. */
const DATASET = path.resolve(import.meta.dirname, '../tests/fixtures/maven-crm');

function column(file: string, name: string): string[] {
  let text: string;
  try {
    text = readFileSync(path.join(DATASET, file), 'utf8');
  } catch {
    return [];
  }
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const index = header!.split(',').indexOf(name);
  return [...new Set(lines.map((line) => line.split(',')[index] ?? '').filter((v) => v !== ''))];
}

const orFallback = (values: string[], fallback: string[]) => (values.length ? values : fallback);

const people = orFallback([...column('sales_teams.csv', 'sales_agent'), ...column('sales_teams.csv', 'manager')], ['Anna Snelling', 'Moses Frase', 'Darcel Schlecht']);
const FIRST = [...new Set(people.map((p) => p.split(' ')[0]!))];
const LAST = [...new Set(people.map((p) => p.split(' ').slice(1).join(' ') || 'Smith'))];
export const COMPANIES = orFallback(column('accounts.csv', 'account'), ['Acme Corporation', 'Betasoloin', 'Cancity']);
export const STAGES = orFallback(column('sales_pipeline.csv', 'deal_stage'), ['Prospecting', 'Engaging', 'Won', 'Lost']);
const productRows = readProducts();
export const PRODUCTS = productRows.map((p) => p.name);
export const TAGS = ['Priority', 'Renewal', 'Upsell', 'Partner', 'Inbound', 'Outbound'];

function readProducts(): { name: string; price: number }[] {
  const names = column('products.csv', 'product');
  const prices = column('products.csv', 'sales_price');
  const rows = names.map((name, i) => ({ name, price: Number(prices[i] ?? 1000) || 1000 }));
  return rows.length ? rows : [{ name: 'GTX Basic', price: 550 }, { name: 'GTK 500', price: 26768 }];
}

/** mulberry32: small, fast and seeded, so every run seeds the same records. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
export const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
export const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

/** The sheet every run creates: at least one field of each common type. */
export const SHEET_FIELDS = [
  { name: 'Name', type: 'text' },
  { name: 'Company', type: 'text' },
  { name: 'Email', type: 'email' },
  { name: 'Quantity', type: 'number', options: { precision: 0 } },
  { name: 'Amount', type: 'currency', options: { currency: 'USD', precision: 2 } },
  { name: 'Stage', type: 'single_select', options: { choices: STAGES.map((name) => ({ name })) } },
  { name: 'Close date', type: 'date' },
  { name: 'Priority', type: 'checkbox' },
  { name: 'Products', type: 'multi_select', options: { choices: PRODUCTS.map((name) => ({ name })) } },
  { name: 'Rating', type: 'rating', options: { max: 5 } },
];

export type RecordFields = {
  Name: string;
  Company: string;
  Email: string;
  Quantity: number;
  Amount: number;
  Stage: string;
  'Close date': string;
  Priority: boolean;
  Products: string[];
  Rating: number;
};

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '');

export function makeRecord(random: Random, n: number): RecordFields {
  const first = pick(random, FIRST);
  const last = pick(random, LAST);
  const company = pick(random, COMPANIES);
  const product = pick(random, productRows);
  const quantity = between(random, 1, 20);
  const products = [product.name];
  if (random() < 0.3) products.push(pick(random, PRODUCTS));
  const day = new Date(Date.UTC(2023, 0, 1) + between(random, 0, 4 * 365) * 86_400_000);
  return {
    Name: `${first} ${last}`,
    Company: company,
    Email: `${slug(first)}.${slug(last)}${n % 1000}@${slug(company)}.com`,
    Quantity: quantity,
    Amount: Math.round(product.price * (0.5 + random()) * quantity * 100) / 100,
    Stage: pick(random, STAGES),
    'Close date': day.toISOString().slice(0, 10),
    Priority: random() < 0.2,
    Products: [...new Set(products)],
    Rating: between(random, 1, 5),
  };
}

/** Substrings (3 to 5 characters) of seeded names, companies and emails: every term matches some record. */
export function searchTerms(random: Random, count: number): string[] {
  const terms = new Set<string>();
  for (let n = 0; terms.size < count && n < count * 20; n++) {
    const record = makeRecord(random, n);
    const source = pick(random, [record.Name, record.Company, record.Email]).toLowerCase();
    const length = between(random, 3, 5);
    if (source.length < length) continue;
    const start = between(random, 0, source.length - length);
    const term = source.slice(start, start + length);
    if (/^\S.*\S$/.test(term)) terms.add(term);
  }
  return [...terms];
}

export interface AccountRow {
  name: string;
  sector: string;
  country: string;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Accounts of the Maven CRM sample as rows (name, sector, office country); the sample spells "technolgy". */
function readAccounts(): AccountRow[] {
  let text = '';
  try {
    text = readFileSync(path.join(DATASET, 'accounts.csv'), 'utf8');
  } catch {
    return [{ name: 'Acme Corporation', sector: 'Technology', country: 'United States' }];
  }
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const at = (name: string) => header!.split(',').indexOf(name);
  const [name, sector, country] = [at('account'), at('sector'), at('office_location')];
  return lines
    .map((line) => line.split(','))
    .filter((cells) => cells[name])
    .map((cells) => ({ name: cells[name]!, sector: capitalize((cells[sector] || 'other').replace('technolgy', 'technology')), country: cells[country] || 'United States' }));
}

export const ACCOUNTS = readAccounts();
export const SECTORS = [...new Set(ACCOUNTS.map((a) => a.sector))];
/** Product rows of the sample with their list prices. */
export const PRODUCT_ROWS: readonly { name: string; price: number }[] = productRows;
