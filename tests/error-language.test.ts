import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
const deals = () => `/api/w/${ws}/sheets/Deals`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  await client.post(`/api/w/${ws}/sheets`, {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Amount', type: 'number' },
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Won' }, { name: 'Lost' }] } },
    ],
  });
});
afterAll(() => server.close());

type Language = 'en' | 'zh-TW';
interface Case {
  name: string;
  run: (headers: Record<string, string>) => Promise<{ status: number; body: any }>;
  /** What each language's message must say: the wrong part named, and why. */
  says: Record<Language, RegExp[]>;
}

/** Words of a validator's or the engine's internals that a person must never read. */
const INTERNALS = [/Invalid (body|querystring|params|headers|request)/i, /\boptions\.\w+/, /\b\w+\.\w+\.\w+\b(?![^"]*")/, /Invalid value/];

const CASES: Case[] = [
  {
    name: 'a sheet name of the wrong type (body)',
    run: (h) => client.request('POST', `/api/w/${ws}/sheets`, { name: 42 }, h),
    says: { en: [/Name/, /must be text/], 'zh-TW': [/名稱/, /必須是文字/] },
  },
  {
    name: 'a key the body does not know',
    run: (h) => client.request('POST', `/api/w/${ws}/sheets`, { name: 'X', colour: 'red' }, h),
    says: { en: [/"colour"/, /not known/], 'zh-TW': [/「colour」/, /不是可用的項目/] },
  },
  {
    name: 'a field of a new sheet without a type (inside a list)',
    run: (h) => client.request('POST', `/api/w/${ws}/sheets`, { name: 'Y', fields: [{ name: 'A', type: 'text' }, { name: 'B' }] }, h),
    says: { en: [/Type/, /Fields #2/, /is required/], 'zh-TW': [/欄位第 2 項的類型/, /為必填/] },
  },
  {
    name: 'a limit that is not a number (querystring)',
    run: (h) => client.request('GET', `${deals()}/records?limit=lots`, undefined, h),
    says: { en: [/Parameter "limit"/], 'zh-TW': [/參數「limit」/] },
  },
  {
    name: 'a formula naming a field that does not exist',
    run: (h) => client.request('POST', `${deals()}/fields`, { name: 'Total', type: 'formula', options: { expression: '{Amont} * 2' } }, h),
    says: { en: [/Expression of "Total"/, /no field \{Amont\}/], 'zh-TW': [/「Total」的公式/, /沒有欄位 \{Amont\}/] },
  },
  {
    name: 'a record value of the wrong type',
    run: (h) => client.request('POST', `${deals()}/records`, { fields: { Amount: 'ten' } }, h),
    says: { en: [/"Amount"/, /must be a number/], 'zh-TW': [/「Amount」/, /必須是數字/] },
  },
  {
    name: 'a choice that is not one',
    run: (h) => client.request('POST', `${deals()}/records`, { fields: { Stage: 'Maybe' } }, h),
    says: { en: [/"Stage"/, /"Maybe" is not one of the choices/], 'zh-TW': [/「Stage」/, /「Maybe」不是選項之一/] },
  },
  {
    name: 'a filter on an unknown field',
    run: (h) => client.request('GET', `${deals()}/records?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'Nope' }, 1] }))}`, undefined, h),
    says: { en: [/filter/i, /unknown field "Nope"/], 'zh-TW': [/篩選條件/, /找不到欄位「Nope」/] },
  },
  {
    name: 'a sort on an unknown field',
    run: (h) => client.request('GET', `${deals()}/records?sort=Nope`, undefined, h),
    says: { en: [/sort/i, /unknown field "Nope"/], 'zh-TW': [/排序/, /找不到欄位「Nope」/] },
  },
  {
    name: 'a sheet that does not exist',
    run: (h) => client.request('GET', `/api/w/${ws}/sheets/Nowhere/records`, undefined, h),
    says: { en: [/Sheet "Nowhere" was not found/], 'zh-TW': [/找不到工作表「Nowhere」/] },
  },
  {
    name: 'a webhook with an address that is no URL',
    run: (h) => client.request('POST', `/api/w/${ws}/webhooks`, { url: 'not a url', sheet: 'Deals', events: ['created'] }, h),
    says: { en: [/URL|address/i], 'zh-TW': [/網址/] },
  },
];

describe('refusals say what is wrong in the language of the request', () => {
  for (const c of CASES) {
    for (const language of ['en', 'zh-TW'] as const) {
      it(`${c.name} (${language})`, async () => {
        const res = await c.run({ 'accept-language': language === 'en' ? 'en-US,en;q=0.9' : 'zh-TW,zh;q=0.9' });
        expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        const text: string = res.body.error.message;
        for (const pattern of c.says[language]) expect(text, text).toMatch(pattern);
        for (const internal of INTERNALS) expect(text, text).not.toMatch(internal);
        // Chinese answers keep no English sentence: what Latin letters are left are names given in the request.
        if (language === 'zh-TW') expect(text.replace(/[「{"][^」}"]*[」}"]/g, ''), text).not.toMatch(/[A-Za-z]{3,} [A-Za-z]{3,}/);
      });
    }
  }

  it('keeps details.fields machine-readable and the same in both languages', async () => {
    const bad = { name: 'Total', type: 'formula', options: { expression: '{Amont} * 2' } };
    const en = await client.request('POST', `${deals()}/fields`, bad, { 'accept-language': 'en' });
    const zh = await client.request('POST', `${deals()}/fields`, bad, { 'accept-language': 'zh-TW' });
    expect(zh.body.error.details.fields).toEqual(en.body.error.details.fields);
    expect(en.body.error.details.fields.Total).toMatch(/^options\.expression: /);
    // Beside them, for a Chinese request, the same reasons in Chinese (what a form shows by each field).
    expect(en.body.error.details.messages).toBeUndefined();
    expect(zh.body.error.details.messages).toEqual({ Total: expect.stringMatching(/^公式：「Deals」中?沒有欄位 \{Amont\}/) });
    const query = await client.request('GET', `${deals()}/records?limit=lots`, undefined, { 'accept-language': 'zh-TW' });
    expect(Object.keys(query.body.error.details.fields)).toEqual(['limit']);
    expect(query.body.error.details.messages).toEqual({ limit: '必須是數字' });
  });
});
