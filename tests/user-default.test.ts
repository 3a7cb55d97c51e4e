import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
let userId: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws, userId } = await server.setup());
  const res = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Tasks',
    fields: [
      { name: 'Title', type: 'text' },
      { name: 'Checked by', type: 'user', options: { defaultCurrentUser: true } },
      { name: 'Reviewer', type: 'user' },
    ],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
});
afterAll(() => server.close());

describe('a user field defaulting to the current user', () => {
  it('gives a new record written without it the member who creates it, and no other field', async () => {
    const res = await client.post(`/api/w/${ws}/sheets/Tasks/records`, { fields: { Title: 'Call back' } });
    expect(res.status).toBe(201);
    expect(res.body.fields['Checked by']).toMatchObject({ id: userId });
    expect(res.body.fields).not.toHaveProperty('Reviewer');
  });

  it('keeps a value given, and an explicit empty one', async () => {
    const given = await client.post(`/api/w/${ws}/sheets/Tasks/records`, { fields: { Title: 'Given', 'Checked by': userId } });
    expect(given.body.fields['Checked by']).toMatchObject({ id: userId });
    const empty = await client.post(`/api/w/${ws}/sheets/Tasks/records`, { fields: { Title: 'Nobody', 'Checked by': null } });
    expect(empty.status).toBe(201);
    expect(empty.body.fields).not.toHaveProperty('Checked by');
  });

  it('leaves an update alone', async () => {
    const created = await client.post(`/api/w/${ws}/sheets/Tasks/records`, { fields: { Title: 'Later', 'Checked by': null } });
    const updated = await client.patch(`/api/w/${ws}/sheets/Tasks/records/${created.body.id}`, { fields: { Title: 'Later still' }, version: created.body.version });
    expect(updated.status).toBe(200);
    expect(updated.body.fields).not.toHaveProperty('Checked by');
  });

  it('refuses an option of the wrong kind, naming it', async () => {
    const res = await client.post(`/api/w/${ws}/sheets/Tasks/fields`, { name: 'Approver', type: 'user', options: { defaultCurrentUser: 'yes' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('defaultCurrentUser');
  });
});
