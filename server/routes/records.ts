import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  badRequest,
  createSheetRecords,
  createThroughForm,
  deleteSheetRecord,
  formRulesOf,
  getSheetRecord,
  listDeletedRecords,
  restoreSheetRecords,
  listSheetRecords,
  MAX_BATCH,
  MAX_LIMIT,
  sheetRecordHistory,
  updateSheetRecord,
  updateThroughForm,
} from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { parseJsonParameter } from '../input/guards.js';
import { booleanFlag, recordParams, sheetParams } from './params.js';

const recordInput = z.object({ fields: z.unknown() }).strict();
const createBody = z.union([recordInput, z.object({ records: z.array(recordInput).min(1).max(MAX_BATCH) }).strict()]);

const readQuery = {
  cellFormat: z.enum(['json', 'string']).optional(),
  locale: z.string().max(35).optional(),
};

/** Which records a listing reads, and in what order, as query parameters (the export takes the same). */
export const selectionQuery = {
  filter: z.string().max(100_000).optional(),
  sort: z.string().max(2000).optional(),
  search: z.string().optional(),
};

const listQuery = z.object({
  ...selectionQuery,
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
    const access = await accessOf(ctx, request);
    const { filter, ...rest } = request.query;
    return listSheetRecords(engine, access, request.params.sheet, { ...rest, filter: parseFilter(filter) });
  });

  // The same listing as GET, its parameters in the body (a long filter does not fit in a URL).
  app.post('/api/w/:ws/sheets/:sheet/records/query', { schema: { params: sheetParams, body: listBody } }, async (request) => {
    const access = await accessOf(ctx, request);
    const { filter, ...rest } = request.body;
    return listSheetRecords(engine, access, request.params.sheet, { ...rest, filter: filter === null ? undefined : filter });
  });

  // The sheet's record trash: deleted records the caller may restore, latest first (docs/api.md "Record trash").
  app.get(
    '/api/w/:ws/sheets/:sheet/records/deleted',
    { schema: { params: sheetParams, querystring: z.object({ search: selectionQuery.search, limit: listQuery.shape.limit, cursor: listQuery.shape.cursor }) } },
    async (request) => listDeletedRecords(engine, await accessOf(ctx, request), request.params.sheet, request.query),
  );

  app.post('/api/w/:ws/sheets/:sheet/records', { schema: { params: sheetParams, body: createBody, querystring: formQuery } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    const { sheet } = request.params;
    const body = request.body;
    if (request.query.form !== undefined) {
      if ('records' in body) throw badRequest('form: a form submits one record at a time', { fields: { form: 'takes one record, not a batch' } });
      const form = await formRulesOf(engine, access, sheet, request.query.form);
      return reply.status(201).send(await createThroughForm(engine, access, sheet, form, body.fields));
    }
    if ('records' in body) {
      const records = await createSheetRecords(engine, access, sheet, body.records.map((r) => r.fields));
      return reply.status(201).send({ records });
    }
    const [record] = await createSheetRecords(engine, access, sheet, [body.fields]);
    return reply.status(201).send(record);
  });

  app.get(
    '/api/w/:ws/sheets/:sheet/records/:record',
    // include=can: also what the caller may do with this record (the record page asks; a record read stays a record).
    { schema: { params: recordParams, querystring: z.object({ ...readQuery, include: z.literal('can').optional() }) } },
    async (request) => {
      const access = await accessOf(ctx, request);
      const { include, ...options } = request.query;
      return getSheetRecord(engine, access, request.params.sheet, request.params.record, options, include === 'can');
    },
  );

  app.patch(
    '/api/w/:ws/sheets/:sheet/records/:record',
    { schema: { params: recordParams, body: z.object({ fields: z.unknown(), version: z.number().int().optional() }).strict(), querystring: formQuery } },
    async (request) => {
      const access = await accessOf(ctx, request);
      const { sheet, record } = request.params;
      if (request.query.form === undefined) return updateSheetRecord(engine, access, sheet, record, request.body);
      return updateThroughForm(engine, access, sheet, await formRulesOf(engine, access, sheet, request.query.form), record, request.body);
    },
  );

  app.delete('/api/w/:ws/sheets/:sheet/records/:record', { schema: { params: recordParams } }, async (request) => {
    const access = await accessOf(ctx, request);
    const record = await deleteSheetRecord(engine, access, request.params.sheet, request.params.record, true);
    return { id: record.id, deleted: true };
  });

  app.post('/api/w/:ws/sheets/:sheet/records/:record/restore', { schema: { params: recordParams } }, async (request) => {
    const access = await accessOf(ctx, request);
    return deleteSheetRecord(engine, access, request.params.sheet, request.params.record, false);
  });

  // Several deleted records back at once, all or nothing (docs/api.md "Record trash").
  app.post(
    '/api/w/:ws/sheets/:sheet/records/restore',
    { schema: { params: sheetParams, body: z.object({ ids: z.array(z.string().max(20)).min(1).max(MAX_BATCH) }).strict() } },
    async (request) => ({ records: await restoreSheetRecords(engine, await accessOf(ctx, request), request.params.sheet, request.body.ids) }),
  );

  app.get('/api/w/:ws/sheets/:sheet/records/:record/history', { schema: { params: recordParams } }, async (request) => {
    const access = await accessOf(ctx, request);
    return sheetRecordHistory(engine, access, request.params.sheet, request.params.record);
  });
};
