import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { openZip } from '../schema-engine/imports/zip.js';
import { uploadTo, upload } from './helpers/files.js';
import { addMember } from './helpers/members.js';
import { clientOf, sessionCookie, startTestServer, type Client, type TestServer } from './helpers/server.js';

// Two installations: the backup of a rich workspace on A is restored on B (and twice on A).
let a: TestServer;
let b: TestServer;
let ownerA: Client;
let ownerB: Client;
let ws: string;
let cookieA: string;
let cookieB: string;
let backup: Buffer;
const FILE_BYTES = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function setup(server: TestServer): Promise<{ client: Client; cookie: string; workspaceId: string }> {
  const res = await server.anonymous.post('/api/setup', { email: 'owner@example.com', password: 'correct horse', name: 'Owner' });
  const cookie = sessionCookie(res.headers);
  return { client: clientOf(server.app, cookie), cookie, workspaceId: res.body.workspace.id };
}

async function download(server: TestServer, cookie: string, workspaceId: string) {
  const res = await server.app.inject({ method: 'GET', url: `/api/w/${workspaceId}/backup`, headers: { cookie } });
  return { status: res.statusCode, headers: res.headers, body: res.rawPayload };
}

const restore = (client: Client, file: Buffer) => uploadTo(client, '/api/workspaces/restore', 'workspace.zip', 'application/zip', file);

/** Every record of a sheet, by pages. */
async function records(client: Client, workspaceId: string, sheet: string) {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const res: any = await client.get(`/api/w/${workspaceId}/sheets/${sheet}/records?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...res.body.records);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

/**
 * The workspace as its API answers show it, with every generated id replaced by what it names (a sheet, field,
 * choice, role, team, file or person by their names), and object keys sorted: two workspaces with the same content
 * give the same text whatever their ids.
 */
async function snapshot(client: Client, workspaceId: string, fetchFile: (url: string) => Promise<Buffer>) {
  const labels = new Map<string, string>();
  const sheets = (await client.get(`/api/w/${workspaceId}/sheets`)).body as any[];
  for (const s of sheets) {
    labels.set(s.id, `sheet:${s.name}`);
    for (const f of s.fields) {
      labels.set(f.id, `field:${s.name}.${f.name}`);
      for (const c of f.options?.choices ?? []) labels.set(c.id, `choice:${s.name}.${f.name}.${c.name}`);
    }
  }
  // Built-in roles are made in one statement, so their listed order is their random ids': compared by name.
  const roles = ((await client.get(`/api/w/${workspaceId}/roles`)).body as any[]).sort((x, y) => (x.name < y.name ? -1 : 1));
  for (const r of roles) labels.set(r.id, `role:${r.name}`);
  const teams = (await client.get(`/api/w/${workspaceId}/teams`)).body as any[];
  for (const t of teams) labels.set(t.id, `team:${t.name}`);
  const members = (await client.get(`/api/w/${workspaceId}/members`)).body as any[];
  for (const m of members) labels.set(m.id, `user:${m.email}`);
  // Workflows made in one transaction share their creation time, so their listed order is their ids': by name.
  const workflows = ((await client.get(`/api/w/${workspaceId}/workflows`)).body as any[]).sort((x, y) => (x.name < y.name ? -1 : 1));
  for (const w of workflows) labels.set(w.id, `workflow:${w.name}`);
  const out: Record<string, unknown> = { settings: (await client.get(`/api/w/${workspaceId}/settings`)).body, sheets, teams, workflows: workflows.map((w) => ({ ...undated(w), version: undefined })), roles: roles.map(undated) };
  const files: Record<string, string> = {};
  for (const s of sheets) {
    const sheetRecords = await records(client, workspaceId, s.id);
    const primary = s.fields.find((f: any) => f.id === s.primaryFieldId).name;
    const byTitle: Record<string, unknown> = {};
    for (const r of sheetRecords) {
      const history = (await client.get(`/api/w/${workspaceId}/sheets/${s.id}/records/${r.id}/history`)).body as any[];
      for (const value of Object.values(r.fields)) {
        if (Array.isArray(value)) for (const item of value) if (item?.url && item.mimeType) files[item.name] = (await fetchFile(item.url)).toString('base64');
      }
      // A person who is no user of the restoring installation keeps their name and email, without an id.
      byTitle[`${r.fields[primary]}#${r.id}`] = { ...r, history: history.map((h) => ({ ...h, by: h.by && { name: h.by.name, email: h.by.email } })) };
    }
    const extras: Record<string, unknown> = {};
    for (const part of ['views', 'forms', 'rules', 'documents']) {
      const list = (await client.get(`/api/w/${workspaceId}/sheets/${s.id}/${part}`)).body as any[];
      for (const item of list) labels.set(item.id, `${part}:${s.name}.${item.name ?? item.message}`);
      // Design objects are made anew by the restore: their own times are the restore's.
      extras[part] = list.map(undated);
    }
    out[`sheet ${s.name}`] = { records: byTitle, count: sheetRecords.length, ...extras };
  }
  out.files = files;
  const text = JSON.stringify(out).replace(/\b(?:sht|fld|chc|rol|tea|usr|wfl|viw|frm|doc|rul|cnv|att)[a-z0-9]{12}\b/g, (id) => labels.get(id) ?? '<id>');
  // Keys sorted, so objects keyed by ids (a role's sheets and fields) compare by what they name.
  const sorted = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(sorted) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => [k, sorted(v)])) : value;
  return sorted(JSON.parse(text.replaceAll(`/api/w/${workspaceId}/`, '/api/w/<ws>/'))) as Record<string, any>;
}

const undated = ({ createdAt: _c, updatedAt: _u, ...rest }: any) => rest;

const fileFetcher = (server: TestServer, cookie: string) => async (url: string) => (await server.app.inject({ method: 'GET', url, headers: { cookie } })).rawPayload;

async function workspaceCount(server: TestServer) {
  return Number((await server.db.selectFrom('workspaces').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  [a, b] = await Promise.all([startTestServer(), startTestServer()]);
  const first = await setup(a);
  ownerA = first.client;
  cookieA = first.cookie;
  ws = first.workspaceId;
  const second = await setup(b);
  ownerB = second.client;
  cookieB = second.cookie;
  expect((await ownerA.post(`/api/w/${ws}/templates/full-crm/install`, { sampleData: true })).status).toBe(201);
  const sheets = (await ownerA.get(`/api/w/${ws}/sheets`)).body as any[];
  const accounts = sheets[0];
  // A file attached to a record, edits by the owner and by an editor (history), a view, a custom role and a team.
  expect((await ownerA.post(`/api/w/${ws}/sheets/${accounts.id}/fields`, { name: 'Contract scan', type: 'attachment' })).status).toBe(201);
  const uploaded = await upload(ownerA, ws, 'contract.pdf', 'application/pdf', FILE_BYTES);
  expect(uploaded.status).toBe(201);
  const [record, other] = await records(ownerA, ws, accounts.id);
  expect((await ownerA.patch(`/api/w/${ws}/sheets/${accounts.id}/records/${record.id}`, { fields: { 'Contract scan': [uploaded.body.id] } })).status).toBe(200);
  const editor = await addMember(a, ws, 'editor@example.com', 'editor');
  const primary = accounts.fields.find((f: any) => f.id === accounts.primaryFieldId).name;
  expect((await editor.client.patch(`/api/w/${ws}/sheets/${accounts.id}/records/${other.id}`, { fields: { [primary]: `${other.fields[primary]} (renamed)` } })).status).toBe(200);
  expect((await ownerA.post(`/api/w/${ws}/sheets/${accounts.id}/views`, { name: 'Renamed first', config: { sort: `-${primary}`, hiddenFields: ['Contract scan'] } })).status).toBe(201);
  expect((await ownerA.post(`/api/w/${ws}/roles`, { name: 'Auditor', otherSheets: { read: 'all', create: false, update: 'none', delete: 'none' } })).status).toBe(201);
  const team = await ownerA.post(`/api/w/${ws}/teams`, { name: 'North' });
  expect(team.status).toBe(201);
  expect((await ownerA.patch(`/api/w/${ws}/members/${editor.userId}`, { teams: [team.body.id] })).status).toBe(200);
  const res = await download(a, cookieA, ws);
  expect(res.status).toBe(200);
  expect(String(res.headers['content-disposition'])).toContain('.crm-backup.zip');
  backup = res.body;
}, 240_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe('workspace backup and restore', () => {
  it('restores a rich workspace on another installation equal to the original', async () => {
    const restored = await restore(ownerB, backup);
    expect(restored.status, JSON.stringify(restored.body)).toBe(201);
    const { workspace, members, counts } = restored.body;
    expect(counts.records).toBeGreaterThan(50);
    expect(counts.files).toBe(1);
    // The editor is no user of B: listed, not added; the restoring owner keeps the workspace.
    expect(members.notRestored).toEqual([{ email: 'editor@example.com', name: 'editor', role: 'editor' }]);
    const original = await snapshot(ownerA, ws, fileFetcher(a, cookieA));
    const copy = await snapshot(ownerB, workspace.id, fileFetcher(b, cookieB));
    // The editor was a member of the original only; the rest is the same workspace.
    const withoutEditor = (s: Record<string, any>) => ({ ...s, teams: s.teams.map((t: any) => ({ ...t, members: undefined })) });
    expect(Object.keys(copy).sort()).toEqual(Object.keys(original).sort());
    for (const key of Object.keys(original)) {
      if (key === 'teams') continue;
      expect(copy[key], key).toEqual(original[key]);
    }
    expect(withoutEditor(copy).teams).toEqual(withoutEditor(original).teams);
    expect(Object.keys(original.files)).toEqual(['contract.pdf']);
    expect(Buffer.from(original.files['contract.pdf'], 'base64').equals(FILE_BYTES)).toBe(true);
    // The editor's change keeps its author by name and email.
    const histories = Object.values(copy).flatMap((s: any) => Object.values(s.records ?? {}).flatMap((r: any) => r.history));
    expect(histories.some((h: any) => h.by?.email === 'editor@example.com')).toBe(true);
    expect(original.workflows.length).toBeGreaterThan(0);
  }, 240_000);

  it('restores into the same installation twice as two independent workspaces', async () => {
    const one = await restore(ownerA, backup);
    const two = await restore(ownerA, backup);
    expect(one.status).toBe(201);
    expect(two.status).toBe(201);
    expect(one.body.workspace.id).not.toBe(two.body.workspace.id);
    expect(one.body.members.notRestored).toEqual([]);
    const sheetsOne = (await ownerA.get(`/api/w/${one.body.workspace.id}/sheets`)).body as any[];
    const sheetsTwo = (await ownerA.get(`/api/w/${two.body.workspace.id}/sheets`)).body as any[];
    const original = (await ownerA.get(`/api/w/${ws}/sheets`)).body as any[];
    expect(new Set([...sheetsOne, ...sheetsTwo, ...original].map((s) => s.id)).size).toBe(original.length * 3);
    const [first] = await records(ownerA, one.body.workspace.id, sheetsOne[0].id);
    const primary = sheetsOne[0].fields.find((f: any) => f.id === sheetsOne[0].primaryFieldId).name;
    expect((await ownerA.patch(`/api/w/${one.body.workspace.id}/sheets/${sheetsOne[0].id}/records/${first.id}`, { fields: { [primary]: 'Only in one' } })).status).toBe(200);
    const inTwo = (await ownerA.get(`/api/w/${two.body.workspace.id}/sheets/${sheetsTwo[0].id}/records/${first.id}`)).body;
    expect(inTwo.fields[primary]).not.toBe('Only in one');
    // New records continue after the restored ids.
    const created = await ownerA.post(`/api/w/${two.body.workspace.id}/sheets/${sheetsTwo[0].id}/records`, { fields: { [primary]: 'New after restore' } });
    expect(created.status).toBe(201);
    const all = await records(ownerA, two.body.workspace.id, sheetsTwo[0].id);
    expect(Number(created.body.id)).toBeGreaterThan(Math.max(...all.filter((r) => r.id !== created.body.id).map((r) => Number(r.id))));
    // The editor, a user of A, came back as a member with the team.
    const members = (await ownerA.get(`/api/w/${two.body.workspace.id}/members`)).body as any[];
    expect(members.find((m) => m.email === 'editor@example.com')?.role).toBe('editor');
    expect(members.find((m) => m.email === 'editor@example.com')?.teams).toHaveLength(1);
  }, 240_000);

  it('refuses a truncated, changed, foreign or newer file with 400 and creates nothing', async () => {
    const zip = await readAll(backup);
    const cases: [string, Buffer, RegExp][] = [
      ['truncated', backup.subarray(0, Math.floor(backup.length / 2)), /zip/],
      ['changed entry', await writeZip({ ...zip, 'team.json': Buffer.from(JSON.stringify({ teams: [], members: [] })) }), /checksum/],
      ['foreign', await writeZip({ 'manifest.json': Buffer.from('{"format":"something-else","version":1}') }), /not a workspace backup/],
      ['newer', await writeZip({ ...zip, 'manifest.json': Buffer.from(JSON.stringify({ ...manifestOf(zip), version: 99 })) }), /newer version/],
      ['not a zip', Buffer.from('hello'), /zip/],
      ['bad time zone', await writeZip({ ...zip, 'manifest.json': Buffer.from(JSON.stringify({ ...manifestOf(zip), workspace: { ...manifestOf(zip).workspace, timeZone: 'Mars/Olympus' } })) }), /workspace\.timeZone/],
      ['an entry left out', await writeZip(Object.fromEntries(Object.entries(zip).filter(([name]) => name !== 'team.json'))), /team\.json is missing/],
    ];
    const before = await workspaceCount(b);
    const folders = await readdir(path.join(b.dataDir, 'files')).catch(() => []);
    for (const [what, file, message] of cases) {
      const res = await restore(ownerB, file);
      expect(res.status, what).toBe(400);
      expect(res.body.error.message, what).toMatch(message);
    }
    expect(await workspaceCount(b)).toBe(before);
    expect(await readdir(path.join(b.dataDir, 'files')).catch(() => [])).toEqual(folders);
    // In the restoring user's language.
    const zh = await uploadTo(ownerB, '/api/workspaces/restore', 'workspace.zip', 'application/zip', cases[3]![1], {}, { 'accept-language': 'zh-TW' });
    expect(zh.status).toBe(400);
    expect(zh.body.error.message).toContain('較新版本');
  }, 120_000);

  it('leaves no workspace and no file behind when a restore fails midway', async () => {
    const zip = await readAll(backup);
    const manifest = JSON.parse(zip['manifest.json']!.toString());
    const recordsEntry = Object.keys(zip).find((n) => n.startsWith('records/') && zip[n]!.length > 0)!;
    // A record line that fits the format but not its column: caught by PostgreSQL after files were written.
    const bad = Buffer.from(zip[recordsEntry]!.toString().replace(/"version":\d+/, '"version":"x"'));
    const changed = { ...zip, [recordsEntry]: bad };
    manifest.checksums[recordsEntry] = (await import('node:crypto')).createHash('sha256').update(bad).digest('hex');
    changed['manifest.json'] = Buffer.from(JSON.stringify(manifest));
    const before = await workspaceCount(b);
    const folders = await readdir(path.join(b.dataDir, 'files')).catch(() => []);
    const res = await restore(ownerB, await writeZip(changed));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(recordsEntry);
    expect(await workspaceCount(b)).toBe(before);
    expect(await readdir(path.join(b.dataDir, 'files')).catch(() => [])).toEqual(folders);
    expect(existsSync(path.join(b.dataDir, 'files'))).toBe(true);
  }, 120_000);

  it('is for owners and admins only', async () => {
    const viewer = await addMember(a, ws, 'viewer@example.com', 'viewer');
    for (const who of [viewer.client, await a.signIn('editor@example.com', 'member password')]) {
      const res = await who.get(`/api/w/${ws}/backup`);
      expect(res.status).toBe(403);
    }
    const admin = await addMember(a, ws, 'admin@example.com', 'admin');
    expect((await admin.client.get(`/api/w/${ws}/backup`)).status).toBe(200);
  }, 120_000);
});

const manifestOf = (zip: Record<string, Buffer>) => JSON.parse(zip['manifest.json']!.toString());

async function readAll(file: Buffer): Promise<Record<string, Buffer>> {
  const { writeFile, mkdtemp } = await import('node:fs/promises');
  const dir = await mkdtemp(path.join((await import('node:os')).tmpdir(), 'backup-test-'));
  const target = path.join(dir, 'b.zip');
  await writeFile(target, file);
  const zip = await openZip(target);
  const out: Record<string, Buffer> = {};
  for (const name of zip.names()) {
    const chunks: Buffer[] = [];
    for await (const chunk of zip.bytes(name)) chunks.push(chunk);
    out[name] = Buffer.concat(chunks);
  }
  zip.close();
  return out;
}

async function writeZip(entries: Record<string, Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of Object.entries(entries)) zip.addBuffer(bytes, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
