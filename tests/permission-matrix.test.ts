import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from './helpers/export.js';
import { upload, uploadTo } from './helpers/files.js';
import { fingerprint } from './helpers/fingerprint.js';
import { inviteMember } from './helpers/members.js';
import type { Client, Response } from './helpers/server.js';
import { ROLES, setupTeamWorkspace, type Role, type TeamWorkspace } from './helpers/team-workspace.js';

/**
 * The permission matrix (issue 13): every workspace endpoint, as every role (owner, admin, editor, viewer and a
 * custom "Sales rep" with own-records scope, a hidden and a read-only field), with the status it must answer. An
 * allowed read is checked for the rows and fields it shows; a refused request (403/404) must change nothing (a
 * fingerprint of every table before and after). The routes come from the server itself: a new /api/w/:ws route
 * without an entry here fails the first test.
 */

let t: TeamWorkspace;
let ws: string;
let owner: Client;
let n = 0;
const next = () => ++n;
const u = (path: string) => `/api/w/${ws}${path}`;

type Expect = Record<Role, number>;
const everyone = (status: number): Expect => ({ owner: status, admin: status, editor: status, viewer: status, rep: status });
/** Sheets, fields, forms, rules, documents, conversions, templates, trash: owners and admins. */
const design = (status: number): Expect => ({ owner: status, admin: status, editor: 403, viewer: 403, rep: 403 });
/** Members, invitations, teams, roles and the audit log: owners and admins. */
const people = design;
/** Record writes: everyone but the viewer; the rep as its grant says. */
const writers = (status: number, rep: number): Expect => ({ owner: status, admin: status, editor: status, viewer: 403, rep });

interface Request {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** A request the JSON client cannot make (a multipart upload). */
  send?: (client: Client) => Promise<Response>;
}

interface Case {
  expect: Expect;
  /** The request for a role; it may first make what it acts on (as the owner), so allowed writes do not collide. */
  request(role: Role): Request | Promise<Request>;
  /** What an allowed answer must show to this role. */
  check?(role: Role, res: Response): void | Promise<void>;
}

// Made by the owner for one request.
async function made(res: Promise<Response>, status = 201): Promise<any> {
  const answer = await res;
  if (answer.status !== status) throw new Error(`setup: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}
const tmpSheet = async () => (await made(owner.post(u('/sheets'), { name: `Tmp ${next()}`, fields: [{ name: 'Name', type: 'text' }] }))).id as string;
const scratchField = async () => (await made(owner.post(u('/sheets/Scratch/fields'), { name: `F ${next()}`, type: 'text' }))).id as string;
const scratchRule = async () => (await made(owner.post(u('/sheets/Scratch/rules'), { condition: { '!=': [{ var: 'Name' }, `x${next()}`] }, message: 'no' }))).id as string;
/** A lead owned by the rep (so the rep's own-record grants apply), ready to convert. */
const repLead = async () => (await made(owner.post(u('/sheets/Leads/records'), { fields: { Name: `T ${next()}`, Owner: t.users.rep, Status: 'Qualified', Cost: 7 } }))).id as string;
const leadView = async () => (await made(owner.post(u('/sheets/Leads/views'), { name: `V ${next()}` }))).id as string;
const leadForm = async (publish = false) => {
  const id = (await made(owner.post(u('/sheets/Leads/forms'), { name: `Form ${next()}` }))).id as string;
  if (publish) await made(owner.post(u(`/sheets/Leads/forms/${id}/publish`), {}), 200);
  return id;
};
const leadDocument = async () => (await made(owner.post(u('/sheets/Leads/documents'), { name: `Doc ${next()}`, template: '<p>{{Name}}</p>' }))).id as string;
const leadConversion = async () =>
  (await made(owner.post(u('/sheets/Leads/conversions'), { name: `Conv ${next()}`, targets: [{ key: 'a', sheet: 'Accounts', fields: { Name: 'Name' } }] }))).id as string;
const team = async () => (await made(owner.post(u('/teams'), { name: `Team ${next()}` }))).id as string;
const role = async () => (await made(owner.post(u('/roles'), { name: `Role ${next()}` }))).id as string;
const invitation = async () => (await made(owner.post(u('/invitations'), { email: `invited${next()}@example.com`, role: 'viewer' }))).id as string;
const spareMember = async () => (await inviteMember(t.server, owner, ws, `spare${next()}@example.com`, 'viewer')).userId;
const trashed = async () => {
  const field = await scratchField();
  await made(owner.delete(u(`/sheets/Scratch/fields/${field}`)), 200);
  const items = (await made(owner.get(u('/trash')), 200)) as { id: string; fieldId: string | null }[];
  return items.find((i) => i.fieldId === field)!.id;
};

const names = (res: Response) => (res.body.records as { fields: { Name: string } }[]).map((r) => r.fields.Name);
/** Leads the rep may read: its own (some made by the matrix itself), never another's. */
function leadRows(role: Role, res: Response, single = false) {
  const seen = names(res);
  expect(seen).toContain('Rep lead');
  if (role === 'rep') {
    expect(seen).not.toContain('Other lead');
    expect(seen).not.toContain('Owner lead');
    for (const record of res.body.records) expect(Object.keys(record.fields)).not.toEqual(expect.arrayContaining(['Cost']));
    for (const record of res.body.records) expect(record.fields).not.toHaveProperty('Double cost');
  } else {
    if (!single) expect(seen).toEqual(expect.arrayContaining(['Other lead', 'Owner lead']));
    const mine = res.body.records.find((r: { fields: { Name: string } }) => r.fields.Name === 'Rep lead');
    expect(mine.fields).toMatchObject({ Cost: 100, 'Double cost': 200 });
  }
}
function leadFields(role: Role, fields: string[]) {
  if (role === 'rep') expect(fields).not.toEqual(expect.arrayContaining(['Cost']));
  if (role === 'rep') expect(fields).not.toContain('Double cost');
  else expect(fields).toEqual(expect.arrayContaining(['Cost', 'Double cost', 'Note']));
}

/** A workflow with a button on Leads (it only checks a condition), and runs of it started by the owner. */
let buttonWorkflow = '';
const BUTTON = { trigger: { type: 'button', sheet: 'Leads', label: 'Check' }, steps: [{ type: 'condition', condition: { '!=': [{ var: 'Name' }, ''] } }] };
const workflow = async () => (await made(owner.post(u('/workflows'), { name: `Workflow ${next()}`, ...BUTTON }))).id as string;
const run = async () => (await made(owner.post(u(`/sheets/Leads/records/${t.leads.rep}/buttons/${buttonWorkflow}`), {}), 202)).runId as string;
const cancelledRun = async () => {
  const id = await run();
  await made(owner.post(u(`/runs/${id}/cancel`), {}), 200);
  return id;
};

/** Record-event webhooks on a sheet of their own, which no request writes to: no delivery is ever sent. */
let hookSheet: Promise<string> | undefined;
const HOOK_URL = 'https://hooks.example.com/crm';
const webhook = async () => (await made(owner.post(u('/webhooks'), { url: HOOK_URL, sheet: await (hookSheet ??= tmpSheet()), events: ['created'] }))).id as string;

/** A one-column CSV uploaded for import by the role (a viewer may not import: by the owner, so it is not the viewer's). */
const IMPORT_CSV = 'Name\nImported lead\n';
const roleImport = async (role: Role) =>
  (await made(uploadTo(role === 'viewer' ? owner : t.as[role], u('/imports'), 'leads.csv', 'text/csv', IMPORT_CSV))).id as string;
/** Imports are their uploader's: anyone else's answers 404 (the viewer's is the owner's). */
const own = (status: number): Expect => ({ owner: status, admin: status, editor: status, viewer: 404, rep: status });

const MATRIX: Record<string, Case> = {
  // Sheets and fields
  'GET /api/w/:ws/sheets': {
    expect: everyone(200),
    request: () => ({ url: u('/sheets') }),
    check(role, res) {
      const sheets = res.body as { name: string; fields: { name: string }[] }[];
      if (role === 'rep') expect(sheets.map((s) => s.name).sort()).toEqual(['Accounts', 'Leads']);
      else expect(sheets.map((s) => s.name)).toEqual(expect.arrayContaining(['Accounts', 'Leads', 'Payroll', 'Scratch']));
      leadFields(role, sheets.find((s) => s.name === 'Leads')!.fields.map((f) => f.name));
    },
  },
  'POST /api/w/:ws/sheets': { expect: design(201), request: () => ({ url: u('/sheets'), body: { name: `New ${next()}` } }) },
  'GET /api/w/:ws/sheets/:sheet': {
    expect: everyone(200),
    request: () => ({ url: u('/sheets/Leads') }),
    check: (role, res) => leadFields(role, res.body.fields.map((f: { name: string }) => f.name)),
  },
  'PATCH /api/w/:ws/sheets/:sheet': { expect: design(200), request: async () => ({ url: u(`/sheets/${await tmpSheet()}`), body: { name: `Renamed ${next()}` } }) },
  'DELETE /api/w/:ws/sheets/:sheet': { expect: design(200), request: async () => ({ url: u(`/sheets/${await tmpSheet()}`) }) },
  'GET /api/w/:ws/sheets/:sheet/schema': {
    expect: everyone(200),
    request: () => ({ url: u('/sheets/Leads/schema') }),
    check(role, res) {
      const properties = Object.keys(res.body.properties);
      expect(properties).toContain('Name');
      if (role === 'rep') expect(properties).not.toEqual(expect.arrayContaining(['Cost']));
      if (role === 'rep') expect(properties).not.toContain('Note');
      else expect(properties).toEqual(expect.arrayContaining(['Cost', 'Note']));
    },
  },
  'GET /api/w/:ws/sheets/:sheet/validator.js': {
    expect: everyone(200),
    request: () => ({ url: u('/sheets/Leads/validator.js') }),
    check(role, res) {
      expect(res.body).toContain('Name');
      if (role === 'rep') expect(res.body).not.toMatch(/\bCost\b/);
      else expect(res.body).toMatch(/\bCost\b/);
    },
  },
  'POST /api/w/:ws/sheets/:sheet/fields': { expect: design(201), request: () => ({ url: u('/sheets/Scratch/fields'), body: { name: `Field ${next()}`, type: 'text' } }) },
  'POST /api/w/:ws/sheets/:sheet/formula-check': { expect: design(200), request: () => ({ url: u('/sheets/Scratch/formula-check'), body: { expression: '1 + 1' } }) },
  'PATCH /api/w/:ws/sheets/:sheet/fields/:field': { expect: design(200), request: async () => ({ url: u(`/sheets/Scratch/fields/${await scratchField()}`), body: { name: `Renamed ${next()}` } }) },
  'DELETE /api/w/:ws/sheets/:sheet/fields/:field': { expect: design(200), request: async () => ({ url: u(`/sheets/Scratch/fields/${await scratchField()}`) }) },

  // Views (arranged by whoever may change some record of the sheet) and kanban groups
  'GET /api/w/:ws/sheets/:sheet/views': {
    expect: everyone(200),
    request: () => ({ url: u('/sheets/Leads/views') }),
    check(role, res) {
      const costly = (res.body as { id: string; config: Record<string, unknown> }[]).find((v) => v.id === t.costView)!;
      if (role === 'rep') expect(costly.config).toEqual({});
      else expect(costly.config).toMatchObject({ sort: `-${t.fieldId('Leads', 'Cost')}` });
    },
  },
  'POST /api/w/:ws/sheets/:sheet/views': { expect: writers(201, 201), request: () => ({ url: u('/sheets/Leads/views'), body: { name: `View ${next()}` } }) },
  'PATCH /api/w/:ws/sheets/:sheet/views/:view': { expect: writers(200, 200), request: async () => ({ url: u(`/sheets/Leads/views/${await leadView()}`), body: { name: `View ${next()}` } }) },
  'DELETE /api/w/:ws/sheets/:sheet/views/:view': { expect: writers(204, 204), request: async () => ({ url: u(`/sheets/Leads/views/${await leadView()}`) }) },
  'GET /api/w/:ws/sheets/:sheet/groups': {
    expect: everyone(200),
    request: () => ({ url: u('/sheets/Leads/groups?field=Status') }),
    check(role, res) {
      const groups = res.body.groups as { value: unknown; count: number }[];
      const total = groups.reduce((sum, g) => sum + g.count, 0);
      if (role === 'rep') expect(total).toBeLessThan(10);
      expect(total).toBeGreaterThan(0);
    },
  },

  'GET /api/w/:ws/sheets/:sheet/summary': {
    expect: everyone(200),
    request: (role) => ({ url: u(`/sheets/Leads/summary?groupBy=Status&values=${role === 'rep' ? 'count' : 'count,sum(Cost)'}`) }),
    async check(role, res) {
      const readable = (await made(t.as[role].get(u('/sheets/Leads/records?limit=1000')), 200)).records as { fields: { Cost?: number } }[];
      expect(res.body.total[0]).toBe(readable.length);
      if (role === 'rep') {
        expect(readable.length).toBeLessThan(10);
        // Cost is hidden from the rep: summing it is summing an unknown field.
        const hidden = await t.as.rep.get(u('/sheets/Leads/summary?values=sum(Cost)'));
        expect(hidden.status).toBe(400);
        expect(hidden.body.error.details.fields.values).toBe('unknown field "Cost"');
      } else expect(res.body.total[1]).toBe(readable.reduce((sum, r) => sum + (r.fields.Cost ?? 0), 0));
    },
  },

  // Forms
  'GET /api/w/:ws/sheets/:sheet/form': {
    expect: everyone(200),
    request: () => ({ url: u('/sheets/Leads/form') }),
    check(role, res) {
      const text = JSON.stringify(res.body);
      if (role === 'rep') expect(text).not.toContain(t.fieldId('Leads', 'Cost'));
      else expect(text).toContain(t.fieldId('Leads', 'Cost'));
    },
  },
  'GET /api/w/:ws/sheets/:sheet/forms': { expect: design(200), request: () => ({ url: u('/sheets/Leads/forms') }) },
  'POST /api/w/:ws/sheets/:sheet/forms': { expect: design(201), request: () => ({ url: u('/sheets/Leads/forms'), body: { name: `Form ${next()}` } }) },
  'GET /api/w/:ws/sheets/:sheet/forms/:form': { expect: design(200), request: () => ({ url: u(`/sheets/Leads/forms/${t.form}`) }) },
  'PATCH /api/w/:ws/sheets/:sheet/forms/:form': { expect: design(200), request: async () => ({ url: u(`/sheets/Leads/forms/${await leadForm()}`), body: { name: `Form ${next()}` } }) },
  'DELETE /api/w/:ws/sheets/:sheet/forms/:form': { expect: design(204), request: async () => ({ url: u(`/sheets/Leads/forms/${await leadForm()}`) }) },
  'POST /api/w/:ws/sheets/:sheet/forms/:form/publish': { expect: design(200), request: async () => ({ url: u(`/sheets/Leads/forms/${await leadForm()}/publish`), body: {} }) },
  'PUT /api/w/:ws/sheets/:sheet/forms/:form/public': { expect: design(200), request: async () => ({ url: u(`/sheets/Leads/forms/${await leadForm(true)}/public`), body: { enabled: true } }) },
  'GET /api/w/:ws/sheets/:sheet/forms/:form/versions': { expect: design(200), request: () => ({ url: u(`/sheets/Leads/forms/${t.form}/versions`) }) },
  'GET /api/w/:ws/sheets/:sheet/forms/:form/versions/:version': { expect: design(200), request: () => ({ url: u(`/sheets/Leads/forms/${t.form}/versions/1`) }) },
  'POST /api/w/:ws/sheets/:sheet/forms/:form/versions/:version/restore': {
    expect: design(200),
    request: async () => ({ url: u(`/sheets/Leads/forms/${await leadForm(true)}/versions/1/restore`), body: {} }),
  },

  // Records
  'GET /api/w/:ws/sheets/:sheet/records': { expect: everyone(200), request: () => ({ url: u('/sheets/Leads/records?limit=1000') }), check: leadRows },
  'GET /api/w/:ws/openapi.json': {
    expect: everyone(200),
    request: () => ({ url: u('/openapi.json') }),
    check(role, res) {
      const leads = Object.keys(res.body.components.schemas[`${t.sheets.Leads.id}.Fields`].properties);
      leadFields(role, leads);
      const methods = Object.keys(res.body.paths[`/api/w/${ws}/sheets/${t.sheets.Leads.id}/records/{record}`]).sort();
      expect(methods).toEqual({ owner: ['delete', 'get', 'patch'], admin: ['delete', 'get', 'patch'], editor: ['delete', 'get', 'patch'], viewer: ['get'], rep: ['get', 'patch'] }[role]);
      expect(res.body.components.schemas[`${t.sheets.Payroll.id}.Fields`] === undefined).toBe(role === 'rep');
    },
  },
  'GET /api/w/:ws/sheets/:sheet/export': {
    expect: everyone(200),
    request: () => ({ url: u('/sheets/Leads/export?format=csv') }),
    check(role, res) {
      const [header, ...rows] = parseCsv(String(res.body).replace(/^\ufeff/, ''));
      const seen = rows.map((r) => r[0]);
      expect(seen).toContain('Rep lead');
      if (role === 'rep') {
        expect(seen).not.toContain('Other lead');
        expect(seen).not.toContain('Owner lead');
        expect(header).not.toContain('Cost');
        expect(header).not.toContain('Double cost');
      } else {
        expect(seen).toEqual(expect.arrayContaining(['Other lead', 'Owner lead']));
        expect(header).toEqual(expect.arrayContaining(['Cost', 'Double cost']));
      }
    },
  },
  'POST /api/w/:ws/sheets/:sheet/records/query': { expect: everyone(200), request: () => ({ url: u('/sheets/Leads/records/query'), body: { limit: 1000 } }), check: leadRows },
  'POST /api/w/:ws/sheets/:sheet/records': {
    expect: writers(201, 201),
    request: (role) => ({ url: u('/sheets/Leads/records'), body: { fields: { Name: `By ${role} ${next()}` } } }),
    check: (role, res) => expect(res.body.fields.Owner.id).toBe(t.users[role]),
  },
  'GET /api/w/:ws/sheets/:sheet/records/:record': {
    expect: everyone(200),
    request: () => ({ url: u(`/sheets/Leads/records/${t.leads.rep}`) }),
    check: (role, res) => leadRows(role, { ...res, body: { records: [res.body] } }, true),
  },
  'PATCH /api/w/:ws/sheets/:sheet/records/:record': { expect: writers(200, 200), request: async () => ({ url: u(`/sheets/Leads/records/${await repLead()}`), body: { fields: { Status: 'New' } } }) },
  'DELETE /api/w/:ws/sheets/:sheet/records/:record': { expect: writers(200, 403), request: async () => ({ url: u(`/sheets/Leads/records/${await repLead()}`) }) },
  'POST /api/w/:ws/sheets/:sheet/records/:record/restore': {
    expect: writers(200, 403),
    request: async () => {
      const id = await repLead();
      await made(owner.delete(u(`/sheets/Leads/records/${id}`)), 200);
      return { url: u(`/sheets/Leads/records/${id}/restore`), body: {} };
    },
  },
  'GET /api/w/:ws/sheets/:sheet/records/deleted': {
    // Those who may restore: the viewer and the rep (who deletes no lead) are refused.
    expect: writers(200, 403),
    request: async () => {
      const id = await repLead();
      await made(owner.delete(u(`/sheets/Leads/records/${id}`)), 200);
      return { url: u(`/sheets/Leads/records/deleted?search=${encodeURIComponent(`T ${n}`)}`) };
    },
    check(_role, res) {
      const [item, ...rest] = res.body.records as { record: { fields: Record<string, unknown> }; deletedBy: { id: string } }[];
      expect(rest).toEqual([]);
      expect(item!.record.fields).toMatchObject({ Name: `T ${n}`, Cost: 7 });
      expect(item!.deletedBy.id).toBe(t.users.owner);
    },
  },
  'POST /api/w/:ws/sheets/:sheet/records/restore': {
    expect: writers(200, 403),
    request: async () => {
      const ids = [await repLead(), await repLead()];
      for (const id of ids) await made(owner.delete(u(`/sheets/Leads/records/${id}`)), 200);
      return { url: u('/sheets/Leads/records/restore'), body: { ids } };
    },
    check: (role, res) => expect(res.body.records.map((r: { fields: { Name: string } }) => r.fields.Name)).toEqual([`T ${n - 1}`, `T ${n}`]),
  },
  'GET /api/w/:ws/sheets/:sheet/records/:record/history': {
    expect: everyone(200),
    request: () => ({ url: u(`/sheets/Leads/records/${t.leads.rep}/history`) }),
    check(role, res) {
      const changed = (res.body as { changes: Record<string, unknown> }[]).flatMap((h) => Object.keys(h.changes));
      if (role === 'rep') expect(changed).not.toContain('Cost');
      else expect(changed).toContain('Cost');
    },
  },
  'POST /api/w/:ws/sheets/:sheet/records/:record/convert/:conversion': {
    // The rep may change its lead but not add the account the conversion makes.
    expect: writers(201, 403),
    request: async () => ({ url: u(`/sheets/Leads/records/${await repLead()}/convert/${t.conversion}`), body: {} }),
  },
  'GET /api/w/:ws/sheets/:sheet/records/:record/documents/:doc': {
    expect: everyone(200),
    request: () => ({ url: u(`/sheets/Leads/records/${t.leads.rep}/documents/${t.document}`) }),
    check(role, res) {
      expect(res.body).toContain('<h1>Rep lead</h1>');
      if (role === 'rep') expect(res.body).toContain('<p>Cost: </p><p>Double: </p>');
      else expect(res.body).toMatch(/<p>Cost: [^<]*100[^<]*<\/p><p>Double: [^<]*200[^<]*<\/p>/);
    },
  },

  // Rules
  'GET /api/w/:ws/sheets/:sheet/rules': {
    expect: everyone(200),
    request: () => ({ url: u('/sheets/Leads/rules') }),
    check(role, res) {
      const ids = (res.body as { id: string }[]).map((r) => r.id);
      expect(ids).toContain(t.nameRule);
      if (role === 'rep') expect(ids).not.toContain(t.costRule);
      else expect(ids).toContain(t.costRule);
    },
  },
  'POST /api/w/:ws/sheets/:sheet/rules': { expect: design(201), request: () => ({ url: u('/sheets/Scratch/rules'), body: { condition: { '!=': [{ var: 'Name' }, 'y'] }, message: 'no y' } }) },
  'PATCH /api/w/:ws/sheets/:sheet/rules/:rule': { expect: design(200), request: async () => ({ url: u(`/sheets/Scratch/rules/${await scratchRule()}`), body: { message: 'changed' } }) },
  'DELETE /api/w/:ws/sheets/:sheet/rules/:rule': { expect: design(204), request: async () => ({ url: u(`/sheets/Scratch/rules/${await scratchRule()}`) }) },

  // Conversions and documents
  'GET /api/w/:ws/sheets/:sheet/conversions': {
    expect: everyone(200),
    request: () => ({ url: u('/sheets/Leads/conversions') }),
    check(role, res) {
      expect((res.body as { id: string }[]).map((c) => c.id)).toContain(t.conversion);
      if (role === 'rep') expect(JSON.stringify(res.body)).not.toContain(t.fieldId('Leads', 'Cost'));
    },
  },
  'POST /api/w/:ws/sheets/:sheet/conversions': {
    expect: design(201),
    request: () => ({ url: u('/sheets/Leads/conversions'), body: { name: `Conversion ${next()}`, targets: [{ key: 'a', sheet: 'Accounts', fields: { Name: 'Name' } }] } }),
  },
  'DELETE /api/w/:ws/sheets/:sheet/conversions/:conversion': { expect: design(204), request: async () => ({ url: u(`/sheets/Leads/conversions/${await leadConversion()}`) }) },
  'GET /api/w/:ws/sheets/:sheet/documents': {
    expect: everyone(200),
    request: () => ({ url: u('/sheets/Leads/documents') }),
    // A template is design (and names fields a reader may not see): readers get names to print with.
    check: (role, res) => expect(res.body.find((d: { id: string }) => d.id === t.document).template !== undefined).toBe(role === 'owner' || role === 'admin'),
  },
  'POST /api/w/:ws/sheets/:sheet/documents': { expect: design(201), request: () => ({ url: u('/sheets/Leads/documents'), body: { name: `Document ${next()}`, template: '<p>{{Name}}</p>' } }) },
  'POST /api/w/:ws/sheets/:sheet/documents/preview': {
    expect: design(200),
    request: () => ({ url: u('/sheets/Leads/documents/preview'), body: { template: '<p>{{Name}} {{Cost}}</p>', recordId: t.leads.other } }),
  },
  'GET /api/w/:ws/sheets/:sheet/documents/:doc': {
    expect: everyone(200),
    request: () => ({ url: u(`/sheets/Leads/documents/${t.document}`) }),
    check: (role, res) => expect(res.body.template !== undefined).toBe(role === 'owner' || role === 'admin'),
  },
  'PATCH /api/w/:ws/sheets/:sheet/documents/:doc': { expect: design(200), request: async () => ({ url: u(`/sheets/Leads/documents/${await leadDocument()}`), body: { name: `Document ${next()}` } }) },
  'DELETE /api/w/:ws/sheets/:sheet/documents/:doc': { expect: design(204), request: async () => ({ url: u(`/sheets/Leads/documents/${await leadDocument()}`) }) },

  // Trash and templates (design)
  'GET /api/w/:ws/trash': { expect: design(200), request: () => ({ url: u('/trash') }) },
  'POST /api/w/:ws/trash/:id/restore': { expect: design(200), request: async () => ({ url: u(`/trash/${await trashed()}/restore`), body: {} }) },
  'POST /api/w/:ws/templates/:key/install': { expect: design(201), request: () => ({ url: u('/templates/leads/install'), body: {} }) },
  'GET /api/w/:ws/template-export': { expect: design(200), request: () => ({ url: u('/template-export') }) },
  // A backup holds every field of every record and the members: owners and admins, never a preview.
  'GET /api/w/:ws/backup': { expect: design(200), request: () => ({ url: u('/backup') }), check: (_role, res) => expect(res.headers['content-type']).toBe('application/zip') },
  'POST /api/w/:ws/template-import': {
    expect: design(201),
    request: () => ({
      url: u('/template-import'),
      body: { template: { key: 'mine', name: 'Mine', description: 'x', sheets: [{ key: 'things', name: `Imported ${next()}`, fields: [{ key: 'name', name: 'Name', type: 'text' }] }] } },
    }),
  },

  // Files: uploading is for whoever may write records; a file opens for whoever may read a record holding it
  'POST /api/w/:ws/attachments': { expect: writers(201, 201), request: () => ({ url: u('/attachments'), send: (c) => upload(c, ws, 'note.txt', 'text/plain', 'hello') }) },
  'GET /api/w/:ws/attachments/:id': { expect: everyone(200), request: () => ({ url: u(`/attachments/${t.files.repLead}`) }), check: (_role, res) => expect(res.body).toBe('contents of rep-quote.txt') },

  // People
  'GET /api/w/:ws/members': { expect: everyone(200), request: () => ({ url: u('/members') }) },
  'PATCH /api/w/:ws/members/:user': { expect: people(200), request: async () => ({ url: u(`/members/${await spareMember()}`), body: { role: 'editor' } }) },
  'DELETE /api/w/:ws/members/:user': { expect: people(204), request: async () => ({ url: u(`/members/${await spareMember()}`) }) },
  'GET /api/w/:ws/teams': { expect: everyone(200), request: () => ({ url: u('/teams') }) },
  'POST /api/w/:ws/teams': { expect: people(201), request: () => ({ url: u('/teams'), body: { name: `Team ${next()}` } }) },
  'PATCH /api/w/:ws/teams/:team': { expect: people(200), request: async () => ({ url: u(`/teams/${await team()}`), body: { name: `Team ${next()}` } }) },
  'DELETE /api/w/:ws/teams/:team': { expect: people(204), request: async () => ({ url: u(`/teams/${await team()}`) }) },
  'GET /api/w/:ws/roles': { expect: people(200), request: () => ({ url: u('/roles') }) },
  'POST /api/w/:ws/roles': { expect: people(201), request: () => ({ url: u('/roles'), body: { name: `Role ${next()}`, sheets: { Leads: { read: 'all', create: false, update: 'none', delete: 'none' } } } }) },
  'PATCH /api/w/:ws/roles/:role': { expect: people(200), request: async () => ({ url: u(`/roles/${await role()}`), body: { name: `Role ${next()}` } }) },
  'DELETE /api/w/:ws/roles/:role': { expect: people(204), request: async () => ({ url: u(`/roles/${await role()}`) }) },
  'GET /api/w/:ws/invitations': { expect: people(200), request: () => ({ url: u('/invitations') }) },
  'POST /api/w/:ws/invitations': { expect: people(201), request: () => ({ url: u('/invitations'), body: { email: `new${next()}@example.com`, role: 'editor' } }) },
  'DELETE /api/w/:ws/invitations/:id': { expect: people(204), request: async () => ({ url: u(`/invitations/${await invitation()}`) }) },
  'GET /api/w/:ws/access': {
    expect: everyone(200),
    request: () => ({ url: u('/access') }),
    check: (role, res) => expect(res.body).toMatchObject({ design: role === 'owner' || role === 'admin', members: role === 'owner' || role === 'admin' }),
  },
  'GET /api/w/:ws/audit': { expect: people(200), request: () => ({ url: u('/audit') }) },

  // Workflows (design), their runs, buttons (whoever may change the record), approvals (their approvers), settings
  'GET /api/w/:ws/workflows': { expect: design(200), request: () => ({ url: u('/workflows') }) },
  'POST /api/w/:ws/workflows': { expect: design(201), request: () => ({ url: u('/workflows'), body: { name: `Workflow ${next()}`, ...BUTTON } }) },
  'GET /api/w/:ws/workflows/:id': { expect: design(200), request: () => ({ url: u(`/workflows/${buttonWorkflow}`) }) },
  'PATCH /api/w/:ws/workflows/:id': { expect: design(200), request: async () => ({ url: u(`/workflows/${await workflow()}`), body: { name: `Workflow ${next()}` } }) },
  'DELETE /api/w/:ws/workflows/:id': { expect: design(204), request: async () => ({ url: u(`/workflows/${await workflow()}`) }) },
  'POST /api/w/:ws/workflows/:id/test': { expect: design(200), request: () => ({ url: u(`/workflows/${buttonWorkflow}/test`), body: { recordId: t.leads.rep } }) },
  'GET /api/w/:ws/workflows/:id/runs': { expect: design(200), request: () => ({ url: u(`/workflows/${buttonWorkflow}/runs`) }) },
  'GET /api/w/:ws/runs/:run': { expect: design(200), request: async () => ({ url: u(`/runs/${await run()}`) }) },
  'POST /api/w/:ws/runs/:run/retry': { expect: design(200), request: async () => ({ url: u(`/runs/${await cancelledRun()}/retry`), body: {} }) },
  'POST /api/w/:ws/runs/:run/cancel': { expect: design(200), request: async () => ({ url: u(`/runs/${await run()}/cancel`), body: {} }) },
  'POST /api/w/:ws/sheets/:sheet/records/:record/buttons/:workflow': {
    expect: writers(202, 202),
    request: () => ({ url: u(`/sheets/Leads/records/${t.leads.rep}/buttons/${buttonWorkflow}`), body: {} }),
  },
  'POST /api/w/:ws/sheets/:sheet/records/:record/fields/:field/press': {
    expect: writers(200, 200),
    request: () => ({ url: u(`/sheets/Leads/records/${t.leads.rep}/fields/Look%20up/press`), body: {} }),
    check: (_role, res) => expect(res.body.url).toMatch(/^https:\/\/example\.com\/\?q=/),
  },
  'GET /api/w/:ws/sheets/:sheet/buttons': {
    expect: everyone(200),
    request: () => ({ url: u('/sheets/Leads/buttons') }),
    check: (_role, res) => expect(res.body).toEqual(expect.arrayContaining([{ id: buttonWorkflow, label: 'Check' }])),
  },
  'POST /api/w/:ws/approvals/:id': { expect: everyone(404), request: () => ({ url: u('/approvals/apr000000000000'), body: { decision: 'approve' } }) },
  'GET /api/w/:ws/settings': { expect: everyone(200), request: () => ({ url: u('/settings') }) },

  // Record-event webhooks and their delivery logs (design)
  'GET /api/w/:ws/webhooks': { expect: design(200), request: () => ({ url: u('/webhooks') }), check: (_role, res) => expect(res.body.every((h: object) => !('secret' in h))).toBe(true) },
  'POST /api/w/:ws/webhooks': {
    expect: design(201),
    request: async () => ({ url: u('/webhooks'), body: { url: HOOK_URL, sheet: await (hookSheet ??= tmpSheet()), events: ['updated'] } }),
    check: (_role, res) => expect(res.body.secret).toEqual(expect.any(String)),
  },
  'DELETE /api/w/:ws/webhooks/:id': { expect: design(204), request: async () => ({ url: u(`/webhooks/${await webhook()}`) }) },
  'GET /api/w/:ws/webhooks/:id/deliveries': { expect: design(200), request: async () => ({ url: u(`/webhooks/${await webhook()}/deliveries`) }) },

  // Imports: uploading and starting need the right to add records (the rep adds leads); an import is its uploader's
  'POST /api/w/:ws/imports': {
    expect: writers(201, 201),
    request: () => ({ url: u('/imports'), send: (c) => uploadTo(c, u('/imports'), 'leads.csv', 'text/csv', IMPORT_CSV) }),
    check: (_role, res) => expect(res.body).toMatchObject({ status: 'previewed', rowCount: 1, columns: [{ name: 'Name', samples: ['Imported lead'] }] }),
  },
  'GET /api/w/:ws/imports': { expect: everyone(200), request: () => ({ url: u('/imports') }) },
  'GET /api/w/:ws/imports/:id': { expect: own(200), request: async (role) => ({ url: u(`/imports/${await roleImport(role)}`) }) },
  'GET /api/w/:ws/imports/:id/mapping': {
    expect: own(200),
    request: async (role) => ({ url: u(`/imports/${await roleImport(role)}/mapping?sheet=Leads`) }),
    check: (_role, res) => expect(res.body.mapping).toEqual({ Name: 'Name' }),
  },
  'POST /api/w/:ws/imports/:id/preview': { expect: { ...own(200), viewer: 403 }, request: async (role) => ({ url: u(`/imports/${await roleImport(role)}/preview`), body: { delimiter: ';' } }) },
  'POST /api/w/:ws/imports/:id/start': {
    expect: { ...own(202), viewer: 403 },
    request: async (role) => ({ url: u(`/imports/${await roleImport(role)}/start`), body: { sheet: 'Leads', mapping: { Name: 'Name' }, mode: 'insert', onError: 'skip' } }),
  },
  'POST /api/w/:ws/imports/:id/cancel': { expect: own(200), request: async (role) => ({ url: u(`/imports/${await roleImport(role)}/cancel`), body: {} }) },
  'GET /api/w/:ws/imports/:id/problems.csv': { expect: own(200), request: async (role) => ({ url: u(`/imports/${await roleImport(role)}/problems.csv`) }) },
  'PATCH /api/w/:ws/settings': { expect: design(200), request: () => ({ url: u('/settings'), body: { timeZone: 'Asia/Taipei' } }) },
};

/** Every route under /api/w/:ws the server has, as "METHOD path" (HEAD goes with GET), from fastify's route tree. */
function workspaceRoutes(app: FastifyInstance): string[] {
  const found: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)[├└]── (\S+)(?: \(([^)]*)\))?\s*$/.exec(line);
    if (!match) continue;
    stack.length = [...match[1]!].length / 4;
    stack.push(match[2]!);
    const path = stack.join('');
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD' && path.startsWith('/api/w/:ws/')) found.push(`${method} ${path}`);
  }
  return found.sort();
}

/** Strings no answer to the rep may hold: the hidden field, the other rep's lead, the sheet it may not read. */
function repSecrets(): string[] {
  // (Record ids are short numbers, so they are checked where they appear, not searched for in every answer.)
  return [t.fieldId('Leads', 'Cost'), t.fieldId('Leads', 'Double cost'), '"Cost"', 'Other lead', 'secret plan', t.files.otherLead, 'Payroll', 'Salary', 'Alice'];
}
/** Answers that name the rep's own grants (its effective access names the hidden field by id, for the client). */
const OWN_ACCESS = new Set(['GET /api/w/:ws/access']);

let counted = 0;

/**
 * An admin previewing the workspace as the Sales rep (X-Preview-Role) sees what a rep would (their own records being
 * the admin's, so none of the rep's leads) and changes nothing: every write is refused, with nothing written.
 */
const PREVIEW = { 'x-preview-role': 'Sales rep' };
const PREVIEW_READS = new Set(['POST /api/w/:ws/sheets/:sheet/records/query']);
/** The rep's own lead and its file are not the previewing admin's: unknown to the preview. */
const PREVIEW_NOT_FOUND = new Set([
  'GET /api/w/:ws/sheets/:sheet/records/:record',
  'GET /api/w/:ws/sheets/:sheet/records/:record/history',
  'GET /api/w/:ws/sheets/:sheet/records/:record/documents/:doc',
  'PATCH /api/w/:ws/sheets/:sheet/records/:record',
  'DELETE /api/w/:ws/sheets/:sheet/records/:record',
  'POST /api/w/:ws/sheets/:sheet/records/:record/restore',
  'POST /api/w/:ws/sheets/:sheet/records/restore',
  'POST /api/w/:ws/sheets/:sheet/records/:record/convert/:conversion',
  'GET /api/w/:ws/attachments/:id',
  // The rep's own imports are not the previewing admin's.
  'GET /api/w/:ws/imports/:id',
  'GET /api/w/:ws/imports/:id/mapping',
  'GET /api/w/:ws/imports/:id/problems.csv',
]);
function previewExpect(key: string, entry: Case): number {
  if (PREVIEW_NOT_FOUND.has(key)) return 404;
  const reads = key.startsWith('GET ') || PREVIEW_READS.has(key);
  return reads && entry.expect.rep === 200 ? 200 : 403;
}

beforeAll(async () => {
  t = await setupTeamWorkspace();
  ws = t.ws;
  owner = t.as.owner;
  await made(owner.post(u('/sheets'), { name: 'Scratch', fields: [{ name: 'Name', type: 'text' }] }));
  buttonWorkflow = await workflow();
  // A button field opening a URL of the lead (pressing it takes the right to change the record).
  await made(owner.post(u('/sheets/Leads/fields'), { name: 'Look up', type: 'button', options: { label: 'Look up', url: 'https://example.com/?q={{Name}}' } }));
  // A change of Cost in the rep's lead's history (the rep must not see it).
  await made(owner.patch(u(`/sheets/Leads/records/${t.leads.rep}`), { fields: { Cost: 100.5 } }), 200);
  await made(owner.patch(u(`/sheets/Leads/records/${t.leads.rep}`), { fields: { Cost: 100 } }), 200);
}, 60_000);
afterAll(async () => {
  console.log(`permission matrix: ${Object.keys(MATRIX).length} endpoints × ${ROLES.length} roles and a preview, ${counted} assertions`);
  await t?.server.close();
});

describe('the permission matrix', () => {
  it('has an entry for every workspace route of the server, and none for a route it does not have', () => {
    const routes = workspaceRoutes(t.server.app);
    expect(routes.length).toBeGreaterThan(50);
    expect(Object.keys(MATRIX).sort()).toEqual(routes);
  });

  it("answers the rep about a sheet it may not read exactly as about a sheet that does not exist, on every sheet route", async () => {
    const params: Record<string, string> = { record: '1', field: 'Name', view: 'viwx', form: 'frmx', version: '1', rule: 'rulx', conversion: 'cnvx', doc: 'docx', workflow: buttonWorkflow };
    const routes = Object.keys(MATRIX).filter((key) => key.includes('/:sheet'));
    expect(routes.length).toBeGreaterThan(40);
    for (const key of routes) {
      const [method, path] = key.split(' ') as [string, string];
      const url = (sheet: string) => path.replace(/:(\w+)/g, (_m, name: string) => (name === 'ws' ? ws : name === 'sheet' ? encodeURIComponent(sheet) : params[name]!));
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      const before = await fingerprint(t.server.db);
      const secret = await t.as.rep.request(method as 'GET', url('Payroll'), body);
      const unknown = await t.as.rep.request(method as 'GET', url('Nothing here'), body);
      expect(await fingerprint(t.server.db), key).toBe(before);
      expect([403, 404, 400], key).toContain(secret.status);
      expect(secret.status, key).toBe(unknown.status);
      expect(JSON.stringify(secret.body).replaceAll('Payroll', 'X'), key).toBe(JSON.stringify(unknown.body).replaceAll('Nothing here', 'X'));
      counted += 3;
    }
  });

  it("answers the rep about another rep's lead exactly as about a lead that does not exist, on every record route", async () => {
    const routes = Object.keys(MATRIX).filter((key) => key.includes('/:record'));
    expect(routes.length).toBeGreaterThan(6);
    for (const key of routes) {
      const [method, path] = key.split(' ') as [string, string];
      const params: Record<string, string> = { ws, sheet: 'Leads', doc: t.document, conversion: t.conversion, workflow: buttonWorkflow };
      const url = (record: string) => path.replace(/:(\w+)/g, (_m, name: string) => (name === 'record' ? record : params[name]!));
      const body = method === 'GET' || method === 'DELETE' ? undefined : method === 'PATCH' ? { fields: { Name: 'taken' } } : {};
      const before = await fingerprint(t.server.db);
      const secret = await t.as.rep.request(method as 'GET', url(t.leads.other), body);
      const unknown = await t.as.rep.request(method as 'GET', url('999999'), body);
      expect(await fingerprint(t.server.db), key).toBe(before);
      expect(secret.status, key).toBe(404);
      expect(unknown.status, key).toBe(404);
      expect(JSON.stringify(secret.body).replaceAll(`"${t.leads.other}\\"`, 'X'), key).toBe(JSON.stringify(unknown.body).replaceAll('"999999\\"', 'X'));
      counted += 4;
    }
  });

  describe.each(Object.entries(MATRIX))('%s', (key, entry) => {
    const [method] = key.split(' ') as [string];
    it.each(ROLES)('as %s', async (role) => {
      const client = t.as[role];
      const request = await entry.request(role);
      const expected = entry.expect[role];
      const before = expected >= 400 ? await fingerprint(t.server.db) : undefined;
      const res = request.send ? await request.send(client) : await client.request(method as 'GET', request.url, request.body ?? (method === 'GET' || method === 'DELETE' ? undefined : {}), request.headers);
      expect(res.status, `${key} as ${role}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(expected);
      counted++;
      // Whatever the rep is answered, allowed or refused, names nothing it may not see.
      if (role === 'rep' && !OWN_ACCESS.has(key)) {
        const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
        for (const secret of repSecrets()) expect(text, `${key} as rep shows ${secret}`).not.toContain(secret);
        counted++;
      }
      if (before !== undefined) {
        expect(await fingerprint(t.server.db), `${key} as ${role} was refused but changed something`).toBe(before);
        counted++;
        return;
      }
      if (entry.check) {
        await entry.check(role, res);
        counted++;
      }
    });

    it('as an admin previewing the Sales rep', async () => {
      const request = await entry.request('rep');
      const expected = previewExpect(key, entry);
      const before = await fingerprint(t.server.db);
      const headers = { ...request.headers, ...PREVIEW };
      const admin = t.as.admin;
      const previewing: Client = { ...admin, request: (m, url, body, h) => admin.request(m, url, body, { ...h, ...PREVIEW }) };
      const res = request.send
        ? await request.send(previewing)
        : await admin.request(method as 'GET', request.url, request.body ?? (method === 'GET' || method === 'DELETE' ? undefined : {}), headers);
      expect(res.status, `${key} as preview: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(expected);
      expect(await fingerprint(t.server.db), `${key} as preview changed something`).toBe(before);
      if (key !== 'GET /api/w/:ws/access') {
        const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
        for (const secret of repSecrets()) expect(text, `${key} as preview shows ${secret}`).not.toContain(secret);
      }
      counted += 3;
    });
  });
});
