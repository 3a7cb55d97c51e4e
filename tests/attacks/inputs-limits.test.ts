import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie, startTestServer, type Client, type TestServer } from '../helpers/server.js';
import { rawJson, refused } from './refused.js';

/*
 * Inputs beyond what the server can hold, replayed through the API: lone surrogates, nesting 10,000 deep, numbers a
 * double would round, URLs too long for Node, and odd sort keys, searches, limits, names, options and templates.
 * Each answers 400 (or 431) naming the place and the problem, and changes nothing.
 */
let server: TestServer;
let client: Client;
let ws: string;
const sheet = () => `/api/w/${ws}/sheets/Deals`;
const post = (url: string, text: string) => client.request('POST', url, text, rawJson);
const SURROGATE = /lone surrogate/;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  const created = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Qty', type: 'number' },
      { name: 'Amount', type: 'currency', options: { currency: 'USD' } },
      { name: 'Share', type: 'percent' },
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Won' }] } },
    ],
  });
  expect(created.status).toBe(201);
  expect((await client.post(`${sheet()}/records`, { records: [{ fields: { Name: 'Acme', Qty: 1 } }, { fields: { Name: 'Globex', Qty: 2 } }] })).status).toBe(201);
});
afterAll(() => server.close());

describe('lone surrogates', () => {
  it('are refused in record values, one or a batch, naming the field', async () => {
    for (const text of ['"a\\ud800b"', '"\\udfff"', '"\\ud800\\ud800"', '"end\\ud83d"']) {
      await refused(server, () => post(`${sheet()}/records`, `{"fields":{"Name":${text}}}`), { place: 'Name', problem: SURROGATE });
      await refused(server, () => client.request('PATCH', `${sheet()}/records/1`, `{"fields":{"Name":${text}}}`, rawJson), { place: 'Name', problem: SURROGATE });
    }
    const error = await refused(server, () => post(`${sheet()}/records`, '{"records":[{"fields":{"Name":"ok"}},{"fields":{"Name":"\\ud800"}}]}'), { place: 'Name' });
    expect(error.details!.records).toEqual([{ index: 1, fields: { Name: expect.stringMatching(SURROGATE) } }]);
  });

  it('are refused in filters, searches, formulas, rule conditions, choices and names, naming where', async () => {
    await refused(server, () => client.get(`${sheet()}/records?filter=${encodeURIComponent('{"==":[{"var":"Name"},"\\ud800"]}')}`), { place: 'filter', problem: SURROGATE });
    await refused(server, () => post(`${sheet()}/records/query`, '{"search":"a\\udc00"}'), { place: 'search', problem: SURROGATE });
    await refused(server, () => post(`${sheet()}/records/query`, '{"filter":{"contains":[{"var":"Name"},"\\ud800"]}}'), { place: 'filter.contains.1', problem: SURROGATE });
    await refused(server, () => post(`${sheet()}/fields`, '{"name":"F","type":"formula","options":{"expression":"{Name} & \\"\\ud800\\""}}'), { place: 'options.expression' });
    await refused(server, () => post(`${sheet()}/rules`, '{"condition":{"==":[{"var":"Name"},"\\udfff"]},"message":"x"}'), { place: 'condition.==.1' });
    await refused(server, () => post(`${sheet()}/rules`, '{"condition":{"==":[{"var":"Name"},"x"]},"message":"\\ud800"}'), { place: 'message' });
    await refused(server, () => post(`${sheet()}/fields`, '{"name":"S","type":"single_select","options":{"choices":[{"name":"a\\ud800"}]}}'), { place: 'options.choices.0.name' });
    await refused(server, () => post(`/api/w/${ws}/sheets`, '{"name":"Sheet \\ud800"}'), { place: 'name', problem: SURROGATE });
    // The one stored silently as U+FFFD before.
    await refused(server, () => post(`${sheet()}/fields`, '{"name":"x\\udfff","type":"text"}'), { place: 'name', problem: SURROGATE });
    await refused(server, () => client.request('PATCH', `${sheet()}/fields/Qty`, '{"name":"\\ud800Qty"}', rawJson), { place: 'name' });
    await refused(server, () => post(`${sheet()}/views`, '{"name":"V","config":{"search":"\\ud800"}}'), { place: 'config.search' });
    await refused(server, () => post(`${sheet()}/documents`, '{"name":"D","template":"{{Name}} \\ud800"}'), { place: 'template' });
    // One in a key is named by the object holding it.
    await refused(server, () => post(`${sheet()}/records`, '{"fields":{"Na\\ud800me":"x"}}'), { place: 'fields', problem: SURROGATE });
  });

  it('keep working when paired (emoji), escaped or not', async () => {
    const res = await post(`${sheet()}/records`, '{"fields":{"Name":"\\ud83d\\ude80 \ud83d\udd25"}}');
    expect(res.status).toBe(201);
    expect(res.body.fields.Name).toBe('🚀 🔥');
  });
});

describe('nesting', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const deepNot = (n: number) => `${'{"!":['.repeat(n)}true${']}'.repeat(n)}`;

  it('refuses bodies and the filter parameter nested 10,000 deep, without overflowing the stack', async () => {
    await refused(server, () => post(`${sheet()}/records`, `{"fields":{"Name":${deep(10_000)}}}`), { place: 'Name', problem: /nested more than 100 deep/ });
    await refused(server, () => post(`${sheet()}/records`, deep(100_000)), { place: '0.0.0.0.0.0', problem: /nested more than 100 deep/ });
    await refused(server, () => post(`${sheet()}/rules`, `{"condition":${deepNot(10_000)},"message":"x"}`), { problem: /nested more than 100 deep/ });
    await refused(server, () => post(`${sheet()}/views`, `{"name":"V","config":{"filter":${deepNot(10_000)}}}`), { problem: /nested more than 100 deep/ });
    // In a URL (inject has no URL length limit; over HTTP the 431 below answers first).
    await refused(server, () => client.get(`${sheet()}/records?filter=${encodeURIComponent(deepNot(10_000))}`), { place: 'filter', problem: /nested more than 100 deep/ });
    await refused(server, () => client.get(`${sheet()}/records?filter=${encodeURIComponent(deep(20_000))}`), { place: 'filter' });
    // Within the JSON limit, the filter's own limit (20 conditions deep) answers.
    await refused(server, () => client.get(`${sheet()}/records?filter=${encodeURIComponent(deepNot(40))}`), { place: 'filter', problem: /nested more than 20 deep/ });
  });

  it('refuses formulas with 2,000 nested parentheses, calls or signs', async () => {
    for (const expression of [`${'('.repeat(2000)}1${')'.repeat(2000)}`, `${'ABS('.repeat(1000)}{Qty}${')'.repeat(1000)}`, `${'-'.repeat(5000)}{Qty}`]) {
      await refused(server, () => client.post(`${sheet()}/fields`, { name: 'Deep', type: 'formula', options: { expression } }), { place: 'Deep', problem: /nested more than 100 deep/ });
    }
    await refused(server, () => client.post(`${sheet()}/fields`, { name: 'Long', type: 'formula', options: { expression: Array(400).fill('{Qty}').join(' + ') } }), { place: 'Long', problem: /more than 300 operations/ });
    const sum = await client.post(`${sheet()}/fields`, { name: 'Sum', type: 'formula', options: { expression: Array(200).fill('{Qty}').join(' + ') } });
    expect(sum.status).toBe(201);
    expect((await client.get(`${sheet()}/records?sort=-Sum&limit=2`)).body.records.map((r: { fields: { Sum: number } }) => r.fields.Sum)).toEqual([400, 200]);
    expect((await client.delete(`${sheet()}/fields/Sum`)).status).toBe(200);
  });

  it('refuses document templates nested thousands deep', async () => {
    const template = `${'{{#if Name}}'.repeat(3000)}x${'{{/if}}'.repeat(3000)}`;
    await refused(server, () => client.post(`${sheet()}/documents`, { name: 'Deep', template }), { place: 'template', problem: /nested more than 50 deep/ });
  });
});

describe('numbers', () => {
  it('refuses integers a double would round in number, currency and percent fields, saying the limit', async () => {
    for (const field of ['Qty', 'Amount', 'Share']) {
      for (const n of ['12345678901234567890', '9007199254740993', '-12345678901234567890', '0.12345678901234567891']) {
        await refused(server, () => post(`${sheet()}/records`, `{"fields":{"Name":"big","${field}":${n}}}`), { place: field, problem: /exact to 15 significant digits, whole numbers up to 9007199254740991/ });
      }
      await refused(server, () => post(`${sheet()}/records`, `{"fields":{"${field}":1e400}}`), { place: field, problem: /beyond the numbers that can be kept/ });
    }
    const batch = await refused(server, () => post(`${sheet()}/records`, '{"records":[{"fields":{"Qty":1}},{"fields":{"Qty":12345678901234567890}}]}'), { place: 'Qty' });
    expect(batch.details!.records).toEqual([{ index: 1, fields: { Qty: expect.any(String) } }]);
    await refused(server, () => client.request('PATCH', `${sheet()}/records/1`, '{"fields":{"Amount":12345678901234567890}}', rawJson), { place: 'Amount' });
    await refused(server, () => client.get(`${sheet()}/records?filter=${encodeURIComponent('{">":[{"var":"Qty"},12345678901234567890]}')}`), { place: 'filter', problem: /exact to 15/ });
    await refused(server, () => post(`${sheet()}/fields`, '{"name":"D","type":"number","defaultValue":12345678901234567890}'), { place: 'defaultValue' });
  });

  it('keeps the largest exact integers exactly', async () => {
    for (const n of [9007199254740991, -9007199254740991, 12345678901234568, 1e21]) {
      const res = await post(`${sheet()}/records`, `{"fields":{"Name":"exact","Qty":${n}}}`);
      expect(res.status).toBe(201);
      expect(res.body.fields.Qty).toBe(n);
      expect((await client.get(`${sheet()}/records/${res.body.id}`)).body.fields.Qty).toBe(n);
    }
  });
});

describe('filters too long for a URL', () => {
  const longFilter = { or: Array.from({ length: 300 }, (_, i) => ({ '==': [{ var: 'Name' }, `${'x'.repeat(60)}${i}`] })).concat([{ '==': [{ var: 'Name' }, 'Acme'] }]) };

  it('answer a JSON 431 over HTTP that points to POST …/records/query, which answers as GET does', async () => {
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = server.app.server.address() as AddressInfo;
    const login = await client.post('/api/auth/login', { email: 'owner@example.com', password: 'correct horse' });
    const cookie = sessionCookie(login.headers);
    const path = `${sheet()}/records?filter=${encodeURIComponent(JSON.stringify(longFilter))}`;
    expect(path.length).toBeGreaterThan(16_384);
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, headers: { cookie } }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(431);
    expect(answer.type).toMatch(/^application\/json/);
    const error = JSON.parse(answer.body).error;
    expect(error.code).toBe('request_header_too_large');
    expect(error.message).toMatch(/POST \/api\/w\/:ws\/sheets\/:sheet\/records\/query/);

    const viaPost = await client.post(`${sheet()}/records/query`, { filter: longFilter, sort: '-Qty', count: true });
    expect(viaPost.status).toBe(200);
    expect(viaPost.body.records.map((r: { fields: { Name: string } }) => r.fields.Name)).toEqual(['Acme']);
    expect(viaPost.body.total).toBe(1);
    const short = { or: [{ '==': [{ var: 'Name' }, 'Acme'] }, { '==': [{ var: 'Qty' }, 2] }] };
    const getAnswer = await client.get(`${sheet()}/records?filter=${encodeURIComponent(JSON.stringify(short))}&sort=-Qty&limit=1&count=true`);
    const postAnswer = await client.post(`${sheet()}/records/query`, { filter: short, sort: '-Qty', limit: 1, count: true });
    expect(postAnswer.body).toEqual(getAnswer.body);
    const next = await client.post(`${sheet()}/records/query`, { filter: short, sort: '-Qty', limit: 1, cursor: postAnswer.body.nextCursor });
    expect(next.body.records.map((r: { fields: { Name: string } }) => r.fields.Name)).toEqual(['Acme']);
  });

  it('the POST listing refuses what GET refuses, naming the parameter', async () => {
    await refused(server, () => client.post(`${sheet()}/records/query`, { limit: 5000 }), { place: 'limit' });
    await refused(server, () => client.post(`${sheet()}/records/query`, { limit: '10' }), { place: 'limit' });
    await refused(server, () => client.post(`${sheet()}/records/query`, { sort: 'Nope' }), { place: 'sort', problem: /unknown field "Nope"/ });
    await refused(server, () => client.post(`${sheet()}/records/query`, { filter: { '>>': [1, 2] } }), { place: 'filter', problem: /unknown operator/ });
    await refused(server, () => client.post(`${sheet()}/records/query`, { where: {} }), { status: 400 });
  });
});

describe('other inputs that reach the engine', () => {
  it('refuse odd sort keys, searches and limits with 400 naming the parameter', async () => {
    for (const sort of ['-', ',,-,', 'Nope', '--Qty', `${'Qty,'.repeat(11)}Qty`, '\u200bQty']) {
      await refused(server, () => client.get(`${sheet()}/records?sort=${encodeURIComponent(sort)}`), { place: 'sort' });
    }
    await refused(server, () => client.get(`${sheet()}/records?search=${'a'.repeat(201)}`), { place: 'search' });
    await refused(server, () => client.get(`${sheet()}/records?search=${encodeURIComponent('a\u0000')}`), { place: 'search', problem: /NUL/ });
    for (const limit of ['0', '1001', '1.5', 'abc', '1e4', '-1', '']) await refused(server, () => client.get(`${sheet()}/records?limit=${limit}`), { place: 'limit' });
  });

  it('refuse NUL anywhere in a body, naming where', async () => {
    await refused(server, () => client.post(`${sheet()}/rules`, { condition: { '==': [{ var: 'Name' }, 'x'] }, message: 'a\u0000' }), { place: 'message', problem: /NUL/ });
    await refused(server, () => client.post(`${sheet()}/views`, { name: 'V', config: { search: '\u0000' } }), { place: 'config.search', problem: /NUL/ });
    await refused(server, () => client.post(`${sheet()}/documents`, { name: 'D', template: '\u0000' }), { place: 'template', problem: /NUL/ });
  });
});
