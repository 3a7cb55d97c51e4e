import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBlockedAddress } from '../server/webhooks/safe-post.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { until } from './helpers/until.js';

// A webhook receiver on loopback. The job runner allows 127.0.0.1 only (WEBHOOK_ALLOW_HOSTS), so every other
// loopback address (127.0.0.2) and name (localhost) is refused, as a private one would be.
interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}
let received: Received[] = [];
/** Status codes to answer with, in turn (then 200). */
let answers: number[] = [];
let receiver: http.Server;
let port: number;

let server: TestServer;
let client: Client;
let ws: string;

const wf = (path = '') => `/api/w/${ws}/workflows${path}`;


/** Runs a workflow with one webhook step to `url` on a new record; answers the ended run and the workflow. */
async function runWebhook(url: string, body?: unknown) {
  const created = await client.post(wf(), { name: `Hook ${url}`, trigger: { type: 'button', sheet: 'Deals', label: 'Send' }, steps: [{ type: 'webhook', url, ...(body !== undefined ? { body } : {}) }] });
  expect(created.status).toBe(201);
  const record = (await client.post(`/api/w/${ws}/sheets/Deals/records`, { fields: { Name: 'Big deal', Amount: 1200 } })).body;
  const pressed = await client.post(`/api/w/${ws}/sheets/Deals/records/${record.id}/buttons/${created.body.id}`);
  expect(pressed.status).toBe(202);
  const run = await until('the run to end', async () => {
    const res = await client.get(`/api/w/${ws}/runs/${pressed.body.runId}`);
    return ['succeeded', 'failed'].includes(res.body.status) && res.body;
  }, 30_000);
  return { run, workflow: created.body, record };
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answers.shift() ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  // On every loopback address: 127.0.0.1 is allowed, 127.0.0.2 is not, and both would reach it.
  await new Promise<void>((resolve) => receiver.listen(0, '0.0.0.0', resolve));
  port = (receiver.address() as AddressInfo).port;
  server = await startTestServer({ jobs: true, webhookAllowHosts: ['127.0.0.1'] });
  ({ client, workspaceId: ws } = await server.setup());
  await client.post(`/api/w/${ws}/sheets`, { name: 'Deals', fields: [{ name: 'Name', type: 'text' }, { name: 'Amount', type: 'currency', options: { currency: 'USD' } }] });
});
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('webhook step', () => {
  it('POSTs the body signed with the workflow secret, with an idempotency key', async () => {
    received = [];
    const { run, workflow, record } = await runWebhook(`http://127.0.0.1:${port}/hook`, { deal: '{{record.Name}}', amount: '{{record.Amount}}', fixed: 7 });
    expect(run.status).toBe('succeeded');
    expect(received).toHaveLength(1);
    const [hit] = received;
    expect(JSON.parse(hit!.body)).toEqual({ deal: 'Big deal', amount: '1200', fixed: 7 });
    expect(hit!.headers['content-type']).toBe('application/json');
    expect(hit!.headers['x-signature']).toBe(`sha256=${createHmac('sha256', workflow.webhookSecret).update(hit!.body).digest('hex')}`);
    expect(hit!.headers['idempotency-key']).toBe(`${run.id}:0`);
    expect(run.steps[0]).toMatchObject({ type: 'webhook', status: 'succeeded', attempts: 1, output: { status: 200, body: { ok: true } } });
    expect(run.recordId).toBe(record.id);
  });

  it('sends the record by default', async () => {
    received = [];
    const { run, workflow } = await runWebhook(`http://127.0.0.1:${port}/default`);
    expect(run.status).toBe('succeeded');
    expect(JSON.parse(received[0]!.body)).toMatchObject({ workflow: { id: workflow.id, name: workflow.name }, run: run.id, record: { Name: 'Big deal', Amount: 1200 }, old: null });
  });

  it('refuses loopback addresses not allowed, by literal or after DNS, sending nothing and not retrying', async () => {
    received = [];
    for (const url of [`http://127.0.0.2:${port}/x`, `http://localhost:${port}/x`, `http://[::ffff:127.0.0.1]:${port}/x`, `http://[::1]:${port}/x`]) {
      const { run } = await runWebhook(url);
      expect(run.status).toBe('failed');
      expect(run.steps[0].attempts).toBe(1);
      expect(run.steps[0].error).toMatch(/loopback, private or link-local address: refused/);
    }
    expect(received).toEqual([]);
  });

  it('retries a 503 with backoff, with the same idempotency key, then succeeds', async () => {
    received = [];
    answers = [503];
    const { run } = await runWebhook(`http://127.0.0.1:${port}/flaky`);
    expect(run.status).toBe('succeeded');
    expect(run.steps[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(received.map((r) => r.headers['idempotency-key'])).toEqual([`${run.id}:0`, `${run.id}:0`]);
  });

  it('fails at once on a 4xx answer, saying so', async () => {
    received = [];
    answers = [422];
    const { run } = await runWebhook(`http://127.0.0.1:${port}/refusing`);
    expect(run).toMatchObject({ status: 'failed', error: expect.stringMatching(/answered 422/) });
    expect(run.steps[0].attempts).toBe(1);
    expect(received).toHaveLength(1);
  });

  it('refuses a URL that is not http(s) when saved', async () => {
    const res = await client.post(wf(), { name: 'Bad', trigger: { type: 'button', sheet: 'Deals', label: 'x' }, steps: [{ type: 'webhook', url: 'file:///etc/passwd' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual({ 'steps.0.url': 'must be an http:// or https:// URL' });
  });
});

describe('address checks', () => {
  it('blocks loopback, private, link-local and mapped addresses; lets public ones through', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '100.64.0.1']) {
      expect([a, isBlockedAddress(a)]).toEqual([a, true]);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '172.32.0.1']) expect([a, isBlockedAddress(a)]).toEqual([a, false]);
  });
});
