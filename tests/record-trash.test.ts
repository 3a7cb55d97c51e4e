import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember } from './helpers/members.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

/** The record trash: GET …/records/deleted lists a sheet's deleted records (who, when), paged and searched. */
let server: TestServer;
let owner: Client;
let viewer: Client;
let ws: string;
let ownerId: string;
const url = (path = '') => `/api/w/${ws}/sheets/Tasks/records${path}`;

interface Deleted {
  record: { id: string; fields: Record<string, unknown> };
  deletedAt: string;
  deletedBy: { id: string; name: string } | null;
}

beforeAll(async () => {
  server = await startTestServer();
  ({ client: owner, workspaceId: ws, userId: ownerId } = await server.setup());
  viewer = (await addMember(server, ws, 'viewer@example.com', 'viewer')).client;
  await owner.post(`/api/w/${ws}/sheets`, { name: 'Tasks', fields: [{ name: 'Title', type: 'text' }, { name: 'Hours', type: 'number' }] });
});
afterAll(() => server.close());

const titles = (body: { records: Deleted[] }) => body.records.map((d) => d.record.fields.Title);

describe('deleted records of a sheet', () => {
  const ids: string[] = [];
  it('lists deleted records only, latest deleted first, with their values, who and when', async () => {
    const made = await owner.post(url(), { records: ['Alpha', 'Beta', 'Gamma', 'Delta 貓', 'Live'].map((Title, i) => ({ fields: { Title, Hours: i } })) });
    ids.push(...made.body.records.map((r: { id: string }) => r.id));
    const before = Date.now() - 60_000;
    for (const id of ids.slice(0, 4)) expect((await owner.delete(url(`/${id}`))).status).toBe(200);
    const res = await owner.get(url('/deleted'));
    expect(res.status).toBe(200);
    expect(titles(res.body)).toEqual(['Delta 貓', 'Gamma', 'Beta', 'Alpha']);
    expect(res.body.nextCursor).toBeNull();
    const [latest] = res.body.records as Deleted[];
    expect(latest!.record).toMatchObject({ id: ids[3], fields: { Title: 'Delta 貓', Hours: 3 } });
    expect(latest!.deletedBy).toEqual({ id: ownerId, name: 'Owner' });
    expect(new Date(latest!.deletedAt).getTime()).toBeGreaterThan(before);
  });

  it('pages with nextCursor, and searches', async () => {
    const first = await owner.get(url('/deleted?limit=3'));
    expect(titles(first.body)).toEqual(['Delta 貓', 'Gamma', 'Beta']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await owner.get(url(`/deleted?limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`));
    expect(titles(second.body)).toEqual(['Alpha']);
    expect(second.body.nextCursor).toBeNull();
    expect(titles((await owner.get(url(`/deleted?search=${encodeURIComponent('貓')}`))).body)).toEqual(['Delta 貓']);
    expect(titles((await owner.get(url('/deleted?search=ELT'))).body)).toEqual(['Delta 貓']);
  });

  it('drops a restored record from the list', async () => {
    expect((await owner.post(url(`/${ids[2]}/restore`))).status).toBe(200);
    expect(titles((await owner.get(url('/deleted'))).body)).toEqual(['Delta 貓', 'Beta', 'Alpha']);
    expect((await owner.get(url(`/${ids[2]}`))).body.fields).toEqual({ Title: 'Gamma', Hours: 2 });
  });

  it('refuses bad parameters with 400 naming them', async () => {
    const live = await owner.get(url('/?limit=1'));
    const foreign = await owner.get(url(`/deleted?cursor=${encodeURIComponent(live.body.nextCursor)}`));
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details.fields).toHaveProperty('cursor');
    expect((await owner.get(url('/deleted?cursor=abc.def'))).status).toBe(400);
    const limit = await owner.get(url('/deleted?limit=0'));
    expect(limit.status).toBe(400);
    expect(JSON.stringify(limit.body.error)).toContain('limit');
  });

  it('is refused to a role that may delete no record (403), and unknown sheets are 404', async () => {
    const refused = await viewer.get(url('/deleted'));
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('Tasks');
    expect((await owner.get(`/api/w/${ws}/sheets/Nope/records/deleted`)).status).toBe(404);
  });
});

describe('restoring several deleted records', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const made = await owner.post(url(), { records: ['One', 'Two', 'Three'].map((Title) => ({ fields: { Title } })) });
    for (const record of made.body.records) ids[record.fields.Title] = record.id;
    for (const name of ['One', 'Two']) expect((await owner.delete(url(`/${ids[name]}`))).status).toBe(200);
  });

  it('refuses the whole request when one record is not deleted, named twice, or when the role may not', async () => {
    const live = await owner.post(url('/restore'), { ids: [ids.One, ids.Three] });
    expect(live.status).toBe(404);
    expect(live.body.error.message).toContain(ids.Three);
    const twice = await owner.post(url('/restore'), { ids: [ids.One, ids.One] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details.fields).toHaveProperty('ids');
    expect((await owner.post(url('/restore'), { ids: [] })).status).toBe(400);
    expect((await viewer.post(url('/restore'), { ids: [ids.One, ids.Two] })).status).toBe(403);
    // Nothing came back.
    expect(titles((await owner.get(url('/deleted?search=o'))).body)).toEqual(expect.arrayContaining(['One', 'Two']));
    expect((await owner.get(url(`/${ids.One}`))).status).toBe(404);
  });

  it('restores them all at once, with their history', async () => {
    const res = await owner.post(url('/restore'), { ids: [ids.Two, ids.One] });
    expect(res.status).toBe(200);
    expect(res.body.records.map((r: { fields: { Title: string } }) => r.fields.Title)).toEqual(['Two', 'One']);
    expect(titles((await owner.get(url('/deleted'))).body)).not.toEqual(expect.arrayContaining(['One']));
    expect((await owner.get(url(`/${ids.One}`))).status).toBe(200);
    const history = await owner.get(url(`/${ids.Two}/history`));
    expect(history.body[0].action).toBe('restore');
  });
});
