import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport, uploadImport } from './helpers/imports.js';
import { addMember } from './helpers/members.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { statementsOf } from './helpers/statements.js';
import { until } from './helpers/until.js';

// A webhook receiver on loopback. The job runner allows 127.0.0.1 only (WEBHOOK_ALLOW_HOSTS), so 127.0.0.2 is refused
// as a private address would be, though it reaches the same receiver.
interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
let received: Received[] = [];
/** Per path, status codes to answer with, in turn (then 200). */
const answers = new Map<string, number[]>();
let receiver: http.Server;
let port: number;

let server: TestServer;
let client: Client;
let ws: string;

const hooks = (path = '') => `/api/w/${ws}/webhooks${path}`;
const records = (sheet: string, path = '') => `/api/w/${ws}/sheets/${sheet}/records${path}`;
const hookUrl = (path: string, host = '127.0.0.1') => `http://${host}:${port}${path}`;
const at = (path: string) => received.filter((r) => r.path === path);
const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

async function subscribe(path: string, events: string[], sheet = 'Deals', host?: string): Promise<{ id: string; secret: string }> {
  const res = await client.post(hooks(), { url: hookUrl(path, host), sheet, events });
  expect(res.status).toBe(201);
  return res.body;
}

async function deliveries(hookId: string): Promise<any[]> {
  const res = await client.get(hooks(`/${hookId}/deliveries`));
  expect(res.status).toBe(200);
  return res.body;
}

/** The hook's deliveries once none is pending any more. */
async function settled(hookId: string, count: number): Promise<any[]> {
  return until(`${count} deliveries of ${hookId} to end`, async () => {
    const list = await deliveries(hookId);
    return list.length === count && list.every((d) => d.status !== 'pending') && list;
  }, 60_000);
}

async function createDeal(fields: Record<string, unknown>): Promise<string> {
  const res = await client.post(records('Deals'), { fields });
  expect(res.status).toBe(201);
  return res.body.id;
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      received.push({ path, headers: req.headers, body });
      res.writeHead(answers.get(path)?.shift() ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '0.0.0.0', resolve));
  port = (receiver.address() as AddressInfo).port;
  server = await startTestServer({ jobs: true, webhookAllowHosts: ['127.0.0.1'] });
  ({ client, workspaceId: ws } = await server.setup());
  expect((await client.post(`/api/w/${ws}/sheets`, { name: 'Deals', fields: [{ name: 'Name', type: 'text' }, { name: 'Amount', type: 'number' }] })).status).toBe(201);
  expect((await client.post(`/api/w/${ws}/sheets`, { name: 'Notes', fields: [{ name: 'Title', type: 'text' }] })).status).toBe(201);
  expect((await client.post(`/api/w/${ws}/sheets/Notes/fields`, { name: 'Deal', type: 'link', options: { sheet: 'Deals', relationship: 'many_to_one' } })).status).toBe(201);
  expect((await client.post(`/api/w/${ws}/sheets/Notes/rules`, { condition: { '!=': [{ var: 'Title' }, 'refused'] }, message: 'Title may not be "refused"' })).status).toBe(201);
});
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('subscriptions', () => {
  it('answers the secret once, lists without it, and refuses bad input naming the field', async () => {
    const created = await client.post(hooks(), { url: hookUrl('/listed'), sheet: 'Deals', events: ['deleted', 'created', 'deleted'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: hookUrl('/listed'), sheet: { name: 'Deals' }, events: ['created', 'deleted'], enabled: true, secret: expect.stringMatching(/^[\w-]{40,}$/) });
    const list = (await client.get(hooks())).body as any[];
    const listed = list.find((h) => h.id === created.body.id);
    expect(listed).toMatchObject({ url: hookUrl('/listed'), sheet: { id: created.body.sheet.id, name: 'Deals' } });
    expect(listed).not.toHaveProperty('secret');

    const cases: [unknown, string][] = [
      [{ url: 'ftp://example.com/x', sheet: 'Deals', events: ['created'] }, 'url'],
      [{ url: 'https://user:pw@example.com/x', sheet: 'Deals', events: ['created'] }, 'url'],
      [{ sheet: 'Deals', events: ['created'] }, 'url'],
      [{ url: 'https://example.com/x', sheet: 'Nope', events: ['created'] }, 'sheet'],
      [{ url: 'https://example.com/x', events: ['created'] }, 'sheet'],
      [{ url: 'https://example.com/x', sheet: 'Deals', events: [] }, 'events'],
      [{ url: 'https://example.com/x', sheet: 'Deals', events: ['moved'] }, 'events'],
      [{ url: 'https://example.com/x', sheet: 'Deals' }, 'events'],
      [[1, 2], 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await client.post(hooks(), body);
      expect([JSON.stringify(body), res.status, Object.keys(res.body.error.details.fields)]).toEqual([JSON.stringify(body), 400, [field]]);
    }
    const zh = await client.request('POST', hooks(), { url: 'https://example.com/x', sheet: 'Nope', events: ['created'] }, { 'accept-language': 'zh-TW' });
    expect(zh.body.error.details.fields.sheet).toBe('必須是此工作區中工作表的 ID 或名稱');
    expect((await client.get(hooks())).body).toHaveLength(list.length);
    expect((await client.delete(hooks(`/${created.body.id}`))).status).toBe(204);
    expect((await client.delete(hooks(`/${created.body.id}`))).status).toBe(404);
  });

  it('needs design permission', async () => {
    const { client: editor } = await addMember(server, ws, 'editor@example.com', 'editor');
    const hook = await subscribe('/guarded', ['created']);
    expect((await editor.get(hooks())).status).toBe(403);
    expect((await editor.post(hooks(), { url: hookUrl('/x'), sheet: 'Deals', events: ['created'] })).status).toBe(403);
    expect((await editor.delete(hooks(`/${hook.id}`))).status).toBe(403);
    expect((await editor.get(hooks(`/${hook.id}/deliveries`))).status).toBe(403);
    expect((await client.get(hooks())).body.map((h: any) => h.id)).toContain(hook.id);
    expect((await client.delete(hooks(`/${hook.id}`))).status).toBe(204);
  });

  it("answers 404 for another workspace's webhook", async () => {
    const other = (await client.post('/api/workspaces', { name: 'Other' })).body.id as string;
    await client.post(`/api/w/${other}/sheets`, { name: 'Deals', fields: [{ name: 'Name', type: 'text' }] });
    const theirs = await client.post(`/api/w/${other}/webhooks`, { url: hookUrl('/other'), sheet: 'Deals', events: ['created'] });
    expect(theirs.status).toBe(201);
    expect((await client.get(hooks(`/${theirs.body.id}/deliveries`))).status).toBe(404);
    expect((await client.delete(hooks(`/${theirs.body.id}`))).status).toBe(404);
    expect((await client.get(`/api/w/${other}/webhooks/${theirs.body.id}/deliveries`)).status).toBe(200);
  });
});

describe('deliveries', () => {
  it('costs a write on a sheet without subscriptions nothing, and queues one on a subscribed sheet', async () => {
    const hook = await subscribe('/cost', ['created']);
    // The catalog read once (cached), then the writes.
    await client.post(records('Notes'), { fields: { Title: 'warm' } });
    const unsubscribed = await statementsOf(() => client.post(records('Notes'), { fields: { Title: 'no hooks here' } }));
    expect(unsubscribed.filter((s) => /record_webhooks|webhook_deliveries/.test(s.text))).toEqual([]);
    const subscribed = await statementsOf(() => createDeal({ Name: 'Costed' }));
    expect(subscribed.filter((s) => /INSERT INTO webhook_deliveries/.test(s.text))).toHaveLength(1);
    await settled(hook.id, 1);
    expect((await client.delete(hooks(`/${hook.id}`))).status).toBe(204);
  });

  it('delivers created, updated, deleted and restored records, signed with the secret', async () => {
    const hook = await subscribe('/all', ['created', 'updated', 'deleted']);
    const updates = await subscribe('/updates', ['updated']);
    const id = await createDeal({ Name: 'Acme', Amount: 5 });
    expect((await client.patch(records('Deals', `/${id}`), { fields: { Amount: 7 } })).status).toBe(200);
    expect((await client.delete(records('Deals', `/${id}`))).status).toBe(200);
    expect((await client.post(records('Deals', `/${id}/restore`))).status).toBe(200);

    const log = await settled(hook.id, 4);
    expect(log.map((d) => [d.status, d.attempts, d.responseStatus])).toEqual(Array(4).fill(['delivered', 1, 200]));
    // Newest first: the restore, the delete, the update, the create.
    expect(log.map((d) => d.event)).toEqual(['created', 'deleted', 'updated', 'created']);
    expect(log[0].payload.restored).toBe(true);

    const hits = at('/all');
    expect(hits).toHaveLength(4);
    const bodies = hits.map((h) => JSON.parse(h.body));
    for (const [i, hit] of hits.entries()) {
      expect(hit.headers['x-signature']).toBe(sign(hook.secret, hit.body));
      expect(hit.headers['idempotency-key']).toBe(bodies[i].deliveryId);
      expect(hit.headers['content-type']).toBe('application/json');
    }
    const byEvent = (event: string, restored = false) => bodies.find((b) => b.event === event && Boolean(b.restored) === restored);
    const sheetId = (await client.get(`/api/w/${ws}/sheets/Deals`)).body.id;
    expect(byEvent('created')).toMatchObject({ webhookId: hook.id, sheet: { id: sheetId, name: 'Deals' }, record: { id, fields: { Name: 'Acme', Amount: 5 } }, at: expect.any(String) });
    expect(byEvent('created')).not.toHaveProperty('old');
    expect(byEvent('updated')).toMatchObject({ record: { id, fields: { Amount: 7 } }, old: { id, fields: { Amount: 5 } } });
    expect(byEvent('deleted')).toMatchObject({ record: { id, fields: { Name: 'Acme' } } });
    expect(byEvent('created', true)).toMatchObject({ record: { id, fields: { Amount: 7 } } });
    // A wrong secret does not verify.
    expect(hits[0]!.headers['x-signature']).not.toBe(sign(updates.secret, hits[0]!.body));

    // The filter: only the update reached the other subscription.
    const filtered = await settled(updates.id, 1);
    expect(filtered.map((d) => d.event)).toEqual(['updated']);
    expect(at('/updates')).toHaveLength(1);
    expect(at('/updates')[0]!.headers['x-signature']).toBe(sign(updates.secret, at('/updates')[0]!.body));

    // Deleting the subscription stops its deliveries and takes its log with it; the other goes on.
    expect((await client.delete(hooks(`/${hook.id}`))).status).toBe(204);
    expect((await client.get(hooks(`/${hook.id}/deliveries`))).status).toBe(404);
    expect((await client.patch(records('Deals', `/${id}`), { fields: { Amount: 9 } })).status).toBe(200);
    await settled(updates.id, 2);
    const rows = await server.db.selectFrom('webhook_deliveries').select('webhook_id').where('record_id', '=', id).execute();
    expect(rows.every((r) => r.webhook_id === updates.id)).toBe(true);
    expect(at('/all')).toHaveLength(4);
    expect((await client.delete(hooks(`/${updates.id}`))).status).toBe(204);
  });

  it('delivers each record of a batch, an import, and records made by a workflow', async () => {
    const hook = await subscribe('/batch', ['created']);
    const batch = await client.post(records('Deals'), { records: [{ fields: { Name: 'One' } }, { fields: { Name: 'Two' } }] });
    expect(batch.status).toBe(201);
    const wf = await client.post(`/api/w/${ws}/workflows`, {
      name: 'Deal from note',
      trigger: { type: 'record_created', sheet: 'Notes' },
      steps: [{ type: 'create_record', sheet: 'Deals', fields: { Name: 'From {{record.Title}}' } }],
    });
    expect(wf.status).toBe(201);
    await client.post(records('Notes'), { fields: { Title: 'a note' } });
    const upload = await uploadImport(client, ws, 'deals.csv', 'Name,Amount\nImported,3\n');
    const sheetId = (await client.get(`/api/w/${ws}/sheets/Deals`)).body.id;
    expect((await runImport(client, ws, upload.id, { sheet: sheetId, mapping: { Name: 'Name', Amount: 'Amount' }, mode: 'insert', onError: 'abort' })).inserted).toBe(1);
    const log = await settled(hook.id, 4);
    expect(log.map((d) => d.payload.record.fields.Name).sort()).toEqual(['From a note', 'Imported', 'One', 'Two']);
    expect((await client.delete(`/api/w/${ws}/workflows/${wf.body.id}`)).status).toBe(204);
    expect((await client.delete(hooks(`/${hook.id}`))).status).toBe(204);
  });

  it('retries a failing receiver with backoff, logging every attempt', async () => {
    const hook = await subscribe('/flaky', ['created']);
    answers.set('/flaky', [500, 500]);
    await createDeal({ Name: 'Flaky' });
    const [delivery] = await settled(hook.id, 1);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, responseStatus: 200, error: null });
    expect(delivery.attemptLog.map((a: any) => a.status)).toEqual([500, 500, 200]);
    const hits = at('/flaky');
    expect(hits).toHaveLength(3);
    // Every attempt sends the same body, signature and idempotency key.
    expect(new Set(hits.map((h) => `${h.body}|${h.headers['x-signature']}|${h.headers['idempotency-key']}`)).size).toBe(1);
    expect((await client.delete(hooks(`/${hook.id}`))).status).toBe(204);
  });

  it('fails a delivery to a 4xx receiver or a refused address at once, saying why', async () => {
    const refused = await subscribe('/refused', ['created'], 'Deals', '127.0.0.2');
    const gone = await subscribe('/gone', ['created']);
    answers.set('/gone', [410]);
    await createDeal({ Name: 'Nowhere' });
    const [r] = await settled(refused.id, 1);
    expect(r).toMatchObject({ status: 'failed', attempts: 1, responseStatus: null, error: expect.stringMatching(/loopback, private or link-local address: refused/) });
    expect(at('/refused')).toEqual([]);
    const [g] = await settled(gone.id, 1);
    expect(g).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 410, error: expect.stringMatching(/answered 410/) });
    for (const h of [refused, gone]) expect((await client.delete(hooks(`/${h.id}`))).status).toBe(204);
  });

  it('delivers nothing for a write that rolled back', async () => {
    const hook = await subscribe('/rollback', ['created']);
    // The new deal is written first (nested in the note), then the note's rule refuses it: both roll back.
    const res = await client.post(records('Notes'), { fields: { Title: 'refused', Deal: [{ fields: { Name: 'Ghost' } }] } });
    expect(res.status).toBe(400);
    const deals = (await client.get(records('Deals'))).body.records as any[];
    expect(deals.map((d) => d.fields.Name)).not.toContain('Ghost');
    // A write that commits afterwards is the only one delivered.
    const ok = await client.post(records('Notes'), { fields: { Title: 'fine', Deal: [{ fields: { Name: 'Real' } }] } });
    expect(ok.status).toBe(201);
    const log = await settled(hook.id, 1);
    expect(log[0].payload.record.fields.Name).toBe('Real');
    expect(at('/rollback').map((h) => JSON.parse(h.body).record.fields.Name)).toEqual(['Real']);
    expect((await client.delete(hooks(`/${hook.id}`))).status).toBe(204);
  });
});
