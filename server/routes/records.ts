import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  badRequest,
  createRecords,
  createThroughForm,
  publishedForm,
  updateThroughForm,
  type Db,
  type FormRules,
  type SheetDef,
  fetchRecords,
  isRecordId,
  listRecords,
  MAX_BATCH,
  MAX_LIMIT,
  notFound,
  readHistory,
  readRecord,
  setRecordDeleted,
  sheetOrThrow,
  updateRecord,
} from '../../schema-engine/index.js';
import { authorize } from '../authorize.js';
import { parseJsonParameter } from '../input/guards.js';
import { booleanFlag, recordParams, sheetParams } from './params.js';

const recordInput = z.object({ fields: z.unknown() }).strict();
const createBody = z.union([recordInput, z.object({ records: z.array(recordInput).min(1).max(MAX_BATCH) }).strict()]);

const readQuery = {
  cellFormat: z.enum(['json', 'string']).optional(),
  locale: z.string().max(35).optional(),
};

const listQuery = z.object({
  filter: z.string().max(100_000).optional(),
  sort: z.string().max(2000).optional(),
  search: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).optional(),
  cursor: z.string().max(10_000).optional(),
  count: booleanFlag,
  ...readQuery,
});

/** The listing's parameters as a JSON body, for filters too long for a URL: `filter` is the JsonLogic itself. */
const listBody = z
  .object({
    filter: z.unknown().optional(),
    sort: z.string().max(2000).optional(),
    search: z.string().optional(),
    limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
    cursor: z.string().max(10_000).optional(),
    count: z.boolean().optional(),
    ...readQuery,
  })
  .strict();

/** `?form=<id>`: the write goes through that form's published layout (its conditions decide what is written). */
const formQuery = z.object({ form: z.string().max(40).optional() });

async function formRules(db: Db, sheet: SheetDef, formId: string | undefined): Promise<FormRules | undefined> {
  if (formId === undefined) return undefined;
  const { form, layout } = await publishedForm(db, sheet, formId);
  if (!form) throw badRequest(`form: form "${formId}" has no published version yet`, { fields: { form: 'is not published' } });
  return { name: form.name, layout };
}

/** `?filter=` is URL-encoded JSON, checked as a body is (nesting, lone surrogates, exact numbers). */
export function parseFilter(filter: string | undefined): unknown {
  if (filter === undefined || filter === '') return undefined;
  return parseJsonParameter('filter', filter);
}

export const recordRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;

  app.get('/api/w/:ws/sheets/:sheet/records', { schema: { params: sheetParams, querystring: listQuery } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'read');
    const sheet = sheetOrThrow(ws, request.params.sheet);
    const { filter, ...rest } = request.query;
    return listRecords(engine.db, ws, sheet, { ...rest, filter: parseFilter(filter) });
  });

  // The same listing as GET, its parameters in the body (a long filter does not fit in a URL).
  app.post('/api/w/:ws/sheets/:sheet/records/query', { schema: { params: sheetParams, body: listBody } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'read');
    const sheet = sheetOrThrow(ws, request.params.sheet);
    const { filter, ...rest } = request.body;
    return listRecords(engine.db, ws, sheet, { ...rest, filter: filter === null ? undefined : filter });
  });

  app.post('/api/w/:ws/sheets/:sheet/records', { schema: { params: sheetParams, body: createBody, querystring: formQuery } }, async (request, reply) => {
    const { ws, userId } = await authorize(ctx, request, request.params.ws, 'write');
    const sheet = sheetOrThrow(ws, request.params.sheet);
    const body = request.body;
    const form = await formRules(engine.db, sheet, request.query.form);
    if (form) {
      if ('records' in body) throw badRequest('form: a form submits one record at a time', { fields: { form: 'takes one record, not a batch' } });
      return reply.status(201).send(await createThroughForm(engine, ws, sheet, form, body.fields, { userId }));
    }
    if ('records' in body) {
      const records = await createRecords(engine, ws, sheet, body.records.map((r) => r.fields), { userId });
      return reply.status(201).send({ records });
    }
    const [record] = await createRecords(engine, ws, sheet, [body.fields], { userId });
    return reply.status(201).send(record);
  });

  app.get('/api/w/:ws/sheets/:sheet/records/:record', { schema: { params: recordParams, querystring: z.object(readQuery) } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'read');
    const sheet = sheetOrThrow(ws, request.params.sheet);
    const record = await readRecord(engine, ws, sheet, request.params.record, request.query);
    if (!record) throw notFound(`Record "${request.params.record}"`);
    return record;
  });

  app.patch(
    '/api/w/:ws/sheets/:sheet/records/:record',
    { schema: { params: recordParams, body: z.object({ fields: z.unknown(), version: z.number().int().optional() }).strict(), querystring: formQuery } },
    async (request) => {
      const { ws, userId } = await authorize(ctx, request, request.params.ws, 'write');
      const sheet = sheetOrThrow(ws, request.params.sheet);
      const form = await formRules(engine.db, sheet, request.query.form);
      if (form) return updateThroughForm(engine, ws, sheet, form, request.params.record, request.body, { userId });
      return updateRecord(engine, ws, sheet, request.params.record, request.body, { userId });
    },
  );

  app.delete('/api/w/:ws/sheets/:sheet/records/:record', { schema: { params: recordParams } }, async (request) => {
    const { ws, userId } = await authorize(ctx, request, request.params.ws, 'write');
    const sheet = sheetOrThrow(ws, request.params.sheet);
    const record = await setRecordDeleted(engine, ws, sheet, request.params.record, true, { userId });
    return { id: record.id, deleted: true };
  });

  app.post('/api/w/:ws/sheets/:sheet/records/:record/restore', { schema: { params: recordParams } }, async (request) => {
    const { ws, userId } = await authorize(ctx, request, request.params.ws, 'write');
    const sheet = sheetOrThrow(ws, request.params.sheet);
    return setRecordDeleted(engine, ws, sheet, request.params.record, false, { userId });
  });

  app.get('/api/w/:ws/sheets/:sheet/records/:record/history', { schema: { params: recordParams } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'read');
    const sheet = sheetOrThrow(ws, request.params.sheet);
    const id = request.params.record;
    const [record] = isRecordId(id) ? await fetchRecords(engine.db, ws, sheet, [id], { includeDeleted: true }) : [];
    if (!record) throw notFound(`Record "${id}"`);
    return readHistory(engine.db, sheet, id);
  });
};
