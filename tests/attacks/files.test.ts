import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../schema-engine/index.js';
import { upload } from '../helpers/files.js';
import { fingerprint } from '../helpers/fingerprint.js';
import { addMember } from '../helpers/members.js';
import { startTestServer, type Client, type TestServer } from '../helpers/server.js';

let server: TestServer;
let owner: Client;
let editor: Client;
let viewer: Client;
let ws: string;
let ownerId: string;

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64');
const HTML = '<html><body><h1>Report</h1><script src="x.js"></script><img src=x onerror="alert(1)"></body></html>';
const SANDBOX = /^sandbox; default-src 'none'/;
const filesDir = () => path.join(server.app.ctx.dataDir, 'files', ws);
const storedFiles = async () => (await readdir(filesDir()).catch(() => [])).sort();

beforeAll(async () => {
  server = await startTestServer();
  ({ client: owner, workspaceId: ws, userId: ownerId } = await server.setup('owner@example.com'));
  ({ client: editor } = await addMember(server, ws, 'editor@example.com', 'editor'));
  ({ client: viewer } = await addMember(server, ws, 'viewer@example.com', 'viewer'));
});
afterAll(() => server.close());

/** Every file answer is sandboxed, never sniffed, and names the file safely. */
function expectInert(headers: Record<string, unknown>) {
  expect(headers['content-security-policy']).toMatch(SANDBOX);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(String(headers['content-disposition'])).toMatch(/^(inline|attachment); filename=/);
}

describe('a file can never run as a page of the app', () => {
  it('serves the forged HTML page and script of the token-stealing attack as downloads, whatever their part types said', async () => {
    const script = await upload(editor, ws, 'x.js', 'text/javascript', "fetch('/api/tokens', {method: 'POST', body: '{}'})");
    const page = await upload(editor, ws, 'report.html', 'text/plain, text/html', HTML);
    for (const [res, name] of [[script, 'x.js'], [page, 'report.html']] as const) {
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      // The client's claim reaches no answer: not the upload's, not the file's headers.
      expect(res.body).toMatchObject({ name, mimeType: 'application/octet-stream' });
      const served = await owner.get(res.body.url);
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toBe('application/octet-stream');
      expect(served.headers['content-disposition']).toBe(`attachment; filename=${name}`);
      expectInert(served.headers);
    }
    expect((await server.db.selectFrom('attachments').select('mime_type').where('id', '=', page.body.id).executeTakeFirstOrThrow()).mime_type).toBe('application/octet-stream');
  });

  it('shows an HTML file named .txt as inert plain text, never as HTML', async () => {
    const res = await upload(editor, ws, 'notes.txt', 'text/html', HTML);
    expect(res.body.mimeType).toBe('text/plain');
    const served = await owner.get(res.body.url);
    expect(served.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(served.headers['content-disposition']).toBe('inline; filename=notes.txt');
    expectInert(served.headers);
    expect(served.body).toBe(HTML);
  });

  it('decides the type from the bytes and the name against the inline allow-list', async () => {
    const cases: [string, string, Buffer | string, string][] = [
      ['dot.png', 'text/html', PNG, 'image/png'],
      ['dot.html', 'text/html', PNG, 'image/png'],
      ['photo.jpg', 'application/x-anything', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF', [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]), 'image/jpeg'],
      ['anim.gif', '', bytes('GIF89a', [1, 0, 1, 0, 0, 0, 0], ';'), 'image/gif'],
      ['quote.pdf', 'text/html', '%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF', 'application/pdf'],
      ['song.mp3', 'text/html', bytes('ID3', [4, 0, 0, 0, 0, 0, 0], [0xff, 0xfb, 0x90, 0x64], 'x'.repeat(100)), 'audio/mpeg'],
      ['clip.mp4', 'text/html', bytes([0, 0, 0, 0x18], 'ftypmp42', [0, 0, 0, 0], 'mp42isom', [0, 0, 0, 8], 'free'), 'video/mp4'],
      ['中文說明.md', 'text/html', '# 標題\n台北', 'text/plain'],
      ['data.txt', 'text/plain', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'text/plain'],
      ['logo.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'application/octet-stream'],
      ['logo.png', 'image/png', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'application/octet-stream'],
      ['latin1.txt', 'text/plain', bytes('caf', [0xe9]), 'application/octet-stream'],
      ['binary.txt', 'text/plain', bytes('a', [0], 'b'), 'application/octet-stream'],
      ['archive.zip', 'text/html', bytes('PK', [3, 4, 20, 0, 0, 0, 0, 0], 'x'.repeat(30)), 'application/octet-stream'],
      ['page.xhtml', 'application/xhtml+xml', HTML, 'application/octet-stream'],
    ];
    for (const [name, claimed, content, decided] of cases) {
      const res = await upload(editor, ws, name, claimed, content);
      expect(res.status, name).toBe(201);
      expect(res.body.mimeType, name).toBe(decided);
      const served = await owner.get(res.body.url);
      expect(served.headers['content-type'], name).toBe(decided === 'text/plain' ? 'text/plain; charset=utf-8' : decided);
      expect(String(served.headers['content-disposition']), name).toMatch(decided === 'application/octet-stream' ? /^attachment;/ : /^inline;/);
      expectInert(served.headers);
    }
  });

  it('offers a safe file name: no path, control or direction-changing characters, quoted and UTF-8 encoded', async () => {
    const res = await upload(editor, ws, '..\\..\\etc\\evil\u202Etxt.exe', 'text/plain', 'x');
    expect(res.body.name).toBe('eviltxt.exe');
    // A name with quotes, as another client may have stored it (a browser sends a quote as %22).
    const id = newId('att');
    await mkdir(filesDir(), { recursive: true });
    await writeFile(path.join(filesDir(), id), 'x');
    await server.db.insertInto('attachments').values({ id, workspace_id: ws, name: 'a "quoted"; name=x.txt', size: 1, mime_type: 'text/plain', created_by: ownerId }).execute();
    const served = await owner.get(`/api/w/${ws}/attachments/${id}`);
    expect(served.headers['content-disposition']).toBe(`inline; filename="a _quoted_; name=x.txt"; filename*=UTF-8''a%20%22quoted%22%3B%20name%3Dx.txt`);
    const chinese = await owner.get((await upload(editor, ws, '報價單 v2.pdf', 'application/pdf', '%PDF-1.4 test')).body.url);
    expect(chinese.headers['content-disposition']).toBe(`inline; filename="___ v2.pdf"; filename*=UTF-8''${encodeURIComponent('報價單 v2.pdf')}`);
  });

  it('decides files stored before this check again at serve time, and never shows their stored client type', async () => {
    // Rows as the server wrote them before: the type the client sent, unchecked.
    const old = [
      { id: newId('att'), name: 'old.html', type: 'text/plain, text/html', content: HTML, served: 'application/octet-stream' },
      { id: newId('att'), name: 'old.txt', type: 'text/html', content: HTML, served: 'text/plain; charset=utf-8' },
      { id: newId('att'), name: 'old.png', type: 'image/png', content: HTML, served: 'application/octet-stream' },
    ];
    await mkdir(filesDir(), { recursive: true });
    for (const file of old) {
      await writeFile(path.join(filesDir(), file.id), file.content);
      await server.db.insertInto('attachments').values({ id: file.id, workspace_id: ws, name: file.name, size: file.content.length, mime_type: file.type, created_by: ownerId }).execute();
      const served = await owner.get(`/api/w/${ws}/attachments/${file.id}`);
      expect(served.headers['content-type'], file.name).toBe(file.served);
      expectInert(served.headers);
    }
    // Records' attachment values (and their history) carry only types the server decides.
    expect((await owner.post(`/api/w/${ws}/sheets`, { name: 'Docs', fields: [{ name: 'Name', type: 'text' }, { name: 'Files', type: 'attachment' }] })).status).toBe(201);
    const record = await owner.post(`/api/w/${ws}/sheets/Docs/records`, { fields: { Name: 'old files', Files: old.map((f) => f.id) } });
    expect(record.status, JSON.stringify(record.body)).toBe(201);
    expect(record.body.fields.Files.map((f: { mimeType: string }) => f.mimeType)).toEqual(['application/octet-stream', 'application/octet-stream', 'image/png']);
    const read = await owner.get(`/api/w/${ws}/sheets/Docs/records/${record.body.id}`);
    expect(JSON.stringify(read.body)).not.toContain('text/html');
    await server.db.updateTable('record_history').set({ changes: JSON.stringify({ x: { name: 'Files', to: [{ id: old[0]!.id, name: 'old.html', size: 1, mimeType: 'text/html' }] } }) }).where('record_id', '=', record.body.id).execute();
    const history = await owner.get(`/api/w/${ws}/sheets/Docs/records/${record.body.id}/history`);
    expect(history.body[0].changes.Files.to[0].mimeType).toBe('application/octet-stream');
  });
});

/** Multipart bodies built by hand, each malformed in one way. */
const part = (headers: string, content: string) => `${headers}\r\n\r\n${content}\r\n`;
const fileHeaders = (name: string, filename: string) => `Content-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: text/plain`;
const WELL_FORMED = `--B\r\n${part(fileHeaders('file', 'a.txt'), 'hello')}--B--\r\n`;
const MALFORMED: [string, string, string, RegExp][] = [
  ['broken boundary', 'multipart/form-data; boundary=OTHER', WELL_FORMED, /does not start with the boundary/],
  ['no boundary', 'multipart/form-data', WELL_FORMED, /names no boundary/],
  ['truncated body', 'multipart/form-data; boundary=B', WELL_FORMED.slice(0, 80), /ended before its closing boundary/],
  ['truncated inside a part header', 'multipart/form-data; boundary=B', WELL_FORMED.slice(0, 30), /ended before its closing boundary/],
  ['no file part (empty body)', 'multipart/form-data; boundary=B', '', /has no file part/],
  ['a field instead of a file', 'multipart/form-data; boundary=B', `--B\r\n${part('Content-Disposition: form-data; name="file"', 'hello')}--B--\r\n`, /the part "file" is a field/],
  ['an empty file input', 'multipart/form-data; boundary=B', `--B\r\n${part('Content-Disposition: form-data; name="file"; filename=""\r\nContent-Type: application/octet-stream', '')}--B--\r\n`, /no file was chosen for the part "file"/],
  ['two files', 'multipart/form-data; boundary=B', `--B\r\n${part(fileHeaders('file', 'a.txt'), 'one')}--B\r\n${part(fileHeaders('file', 'b.txt'), 'two')}--B--\r\n`, /one file per upload/],
  ['a file then garbage', 'multipart/form-data; boundary=B', `--B\r\n${part(fileHeaders('file', 'a.txt'), 'one')}--B\r\nnot a header\r\n`, /ended before its closing boundary/],
  ['not multipart', 'application/json', '{"file": "x"}', /multipart\/form-data/],
];

describe('malformed uploads', () => {
  it('answers each with 400 naming the problem, and leaves no file or row behind', async () => {
    const before = await fingerprint(server.db);
    const files = await storedFiles();
    for (const [problem, contentType, body, message] of MALFORMED) {
      const res = await editor.request('POST', `/api/w/${ws}/attachments`, Buffer.from(body), { 'content-type': contentType });
      expect(res.status, `${problem}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code, problem).toBe('validation_failed');
      expect(res.body.error.message, problem).toMatch(message);
      expect(res.body.error.details.fields.file, problem).toEqual(expect.any(String));
    }
    expect(await fingerprint(server.db)).toBe(before);
    expect(await storedFiles()).toEqual(files);
    // The same body well formed is stored.
    const ok = await editor.request('POST', `/api/w/${ws}/attachments`, Buffer.from(WELL_FORMED), { 'content-type': 'multipart/form-data; boundary=B' });
    expect(ok.status).toBe(201);
    expect(await storedFiles()).toEqual([...files, ok.body.id].sort());
  });

  it('refuses a viewer, and an unknown workspace, before reading anything', async () => {
    const before = await fingerprint(server.db);
    const files = await storedFiles();
    const refused = await upload(viewer, ws, 'a.txt', 'text/plain', 'hello');
    expect(refused.status).toBe(403);
    expect((await upload(editor, 'wspnotthere', 'a.txt', 'text/plain', 'hello')).status).toBe(404);
    expect(await fingerprint(server.db)).toBe(before);
    expect(await storedFiles()).toEqual(files);
  });
});
