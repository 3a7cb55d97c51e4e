import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportWorkspace, installSheets, LANGUAGES, loadLibrary, localize, templateSchema, type Language } from '../../schema-engine/index.js';
import { requireUser } from '../auth/authenticate.js';
import { accessOf } from '../authorize.js';
import { HttpError } from '../errors.js';
import { booleanFlag, wsParams } from './params.js';

const language = z.enum(LANGUAGES).default('en');
const installBody = z.object({ sampleData: z.boolean().default(false), language }).strict();
const importBody = z.object({ template: z.unknown(), sampleData: z.boolean().default(false), language }).strict();

function template(key: string) {
  const found = loadLibrary().get(key);
  if (!found) throw new HttpError(404, 'not_found', `Template "${key}" was not found`);
  return found;
}

/**
 * The template library (listing, one template in full for a preview, install), and a workspace saved as a template
 * file and installed from one. Installing and importing design the workspace; exporting reads it.
 */
export const templateRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;

  app.get('/api/templates', { schema: { querystring: z.object({ language }) } }, async (request) => {
    requireUser(request);
    const l: Language = request.query.language;
    return [...loadLibrary().values()].map(({ template: t, sheets, roles }) => ({
      key: t.key,
      name: localize(t.name, l),
      description: localize(t.description, l),
      sheets: sheets.map((s) => localize(s.name, l)),
      uses: t.uses ?? [],
      roles: roles.map((r) => localize(r.name, l)),
    }));
  });

  app.get('/api/templates/:key', { schema: { params: z.object({ key: z.string() }) } }, async (request) => {
    requireUser(request);
    const { template: t, sheets, roles } = template(request.params.key);
    // Sample records stay on the server; the preview shows how many there are.
    return { ...t, sheets: sheets.map(({ records, ...s }) => ({ ...s, recordCount: records?.length ?? 0 })), roles };
  });

  app.post('/api/w/:ws/templates/:key/install', { schema: { params: wsParams.extend({ key: z.string() }), body: installBody } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    const { template: t, sheets, roles, workflows } = template(request.params.key);
    const source = { key: t.key, name: localize(t.name, request.body.language) };
    return reply.status(201).send(await installSheets(engine, access, sheets, { ...request.body, source }, roles, workflows));
  });

  app.get('/api/w/:ws/template-export', { schema: { params: wsParams, querystring: z.object({ records: booleanFlag }) } }, async (request) => {
    return exportWorkspace(engine, await accessOf(ctx, request), { records: request.query.records });
  });

  app.post('/api/w/:ws/template-import', { schema: { params: wsParams, body: importBody } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    const parsed = templateSchema.safeParse(request.body.template);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = ['template', ...issue.path].join('.');
      throw new HttpError(400, 'validation_failed', `${where}: ${issue.message}`, { fields: { [where]: issue.message } });
    }
    if (parsed.data.uses?.length) throw new HttpError(400, 'validation_failed', 'template.uses: an imported template carries all its sheets', { fields: { 'template.uses': 'must be empty' } });
    const { sampleData, language: l } = request.body;
    const source = { key: parsed.data.key, name: localize(parsed.data.name, l), imported: true };
    return reply.status(201).send(await installSheets(engine, access, parsed.data.sheets, { sampleData, language: l, source }, parsed.data.roles ?? [], parsed.data.workflows ?? []));
  });
};
