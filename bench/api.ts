import http from 'node:http';
import { SHEET_FIELDS } from './data.js';

/**
 * `http`: node:http with a keep-alive Agent (one connection per request in flight). `fetch`: Node's fetch (undici inside,
 * keep-alive too), which costs the client about four times the CPU per request: on a small machine that runs the client,
 * the server and PostgreSQL together, that cost would be measured as the server's.
 */
export type ClientKind = 'http' | 'fetch';

interface Answer {
  status: number;
  body: string;
  setCookie: string[];
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function viaHttp(url: string, method: string, headers: Record<string, string>, payload: string | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), setCookie: response.headers['set-cookie'] ?? [] }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}

async function viaFetch(url: string, method: string, headers: Record<string, string>, payload: string | undefined): Promise<Answer> {
  const response = await fetch(url, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  return { status: response.status, body: await response.text(), setCookie: response.headers.getSetCookie() };
}

export class ApiClient {
  private headers: Record<string, string> = {};
  private readonly send: typeof viaHttp;

  constructor(
    readonly baseUrl: string,
    kind: ClientKind = 'http',
  ) {
    this.send = kind === 'fetch' ? viaFetch : viaHttp;
  }

  /** Sends JSON, parses the JSON answer (as a real client does) and throws unless the status is the expected one. */
  async request<T>(method: string, path: string, body?: unknown, expected = method === 'POST' ? 201 : 200): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = payload === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' };
    const answer = await this.send(this.baseUrl + path, method, headers, payload);
    if (answer.status !== expected) throw new Error(`${method} ${path.slice(0, 80)} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    return JSON.parse(answer.body) as T;
  }

  /** What every request sends to authenticate (for a download made outside `request`). */
  get authHeaders(): Record<string, string> {
    return this.headers;
  }

  /** A multipart upload (fetch streams a file Blob from disk), answered 201 with JSON. */
  async upload<T>(path: string, form: FormData): Promise<T> {
    const response = await fetch(this.baseUrl + path, { method: 'POST', headers: this.headers, body: form });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  useHeaders(headers: Record<string, string>): void {
    this.headers = headers;
  }

  get = <T>(path: string) => this.request<T>('GET', path);
  post = <T>(path: string, body: unknown, expected = 201) => this.request<T>('POST', path, body, expected);
  patch = <T>(path: string, body: unknown) => this.request<T>('PATCH', path, body);

  /** First-run setup (session cookie), then an API token: every later request sends `Authorization: Bearer`. */
  async signIn(): Promise<{ workspaceId: string; userId: string }> {
    const payload = JSON.stringify({ email: 'bench@example.com', password: 'benchmark password', name: 'Bench' });
    const answer = await this.send(`${this.baseUrl}/api/setup`, 'POST', { 'content-type': 'application/json' }, payload);
    if (answer.status !== 201) throw new Error(`setup answered ${answer.status}: ${answer.body}`);
    const body = JSON.parse(answer.body) as { user: { id: string }; workspace: { id: string } };
    const cookie = answer.setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('crm_session='));
    if (!cookie) throw new Error('setup answered no session cookie');
    this.headers = { cookie };
    const { token } = await this.post<{ token: string }>('/api/tokens', { name: 'bench' });
    this.headers = { authorization: `Bearer ${token}` };
    return { workspaceId: body.workspace.id, userId: body.user.id };
  }
}

/**
 * A member who joined through an invitation link (POST /api/invitations/:token/accept with a name and password), then
 * acts with an API token of their own, as `signIn` does for the owner.
 */
export async function acceptInvitation(baseUrl: string, kind: ClientKind, url: string, name: string): Promise<{ api: ApiClient; userId: string }> {
  const member = new ApiClient(baseUrl, kind);
  const token = url.split('/invite/')[1];
  if (!token) throw new Error(`not an invitation link: ${url}`);
  const answer = await viaHttp(`${baseUrl}/api/invitations/${token}/accept`, 'POST', { 'content-type': 'application/json' }, JSON.stringify({ name, password: 'benchmark password' }));
  if (answer.status !== 201) throw new Error(`accepting the invitation answered ${answer.status}: ${answer.body}`);
  const cookie = answer.setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('crm_session='));
  if (!cookie) throw new Error('accepting the invitation answered no session cookie');
  member.useHeaders({ cookie });
  const { token: apiToken } = await member.post<{ token: string }>('/api/tokens', { name: 'bench' });
  member.useHeaders({ authorization: `Bearer ${apiToken}` });
  return { api: member, userId: (JSON.parse(answer.body) as { user: { id: string } }).user.id };
}

export interface FieldJson {
  id: string;
  name: string;
  type: string;
  options: { choices?: { id: string; name: string }[] };
}
export interface SheetJson {
  id: string;
  name: string;
  fields: FieldJson[];
}

export const createBenchSheet = (api: ApiClient, workspaceId: string) =>
  api.post<SheetJson>(`/api/w/${workspaceId}/sheets`, { name: 'Deals', fields: SHEET_FIELDS });
