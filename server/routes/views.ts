import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createView, deleteView, groupSheetRecords, listMembers, listViews, updateView, viewInputSchema, viewPatchSchema } from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { sheetParams, wsParams } from './params.js';
import { parseFilter } from './records.js';

const viewParams = sheetParams.extend({ view: z.string() });
const groupQuery = z.object({ field: z.string().max(200), sum: z.string().max(200).optional(), filter: z.string().max(100_000).optional(), search: z.string().optional() });

/** Saved views (anyone who may change records may arrange views), kanban column totals, and the workspace's people. */
export const viewRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;

  app.get('/api/w/:ws/sheets/:sheet/views', { schema: { params: sheetParams } }, async (request) => {
    return listViews(engine, await accessOf(ctx, request), request.params.sheet);
  });

  app.post('/api/w/:ws/sheets/:sheet/views', { schema: { params: sheetParams, body: viewInputSchema } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    return reply.status(201).send(await createView(engine, access, request.params.sheet, request.body));
  });

  app.patch('/api/w/:ws/sheets/:sheet/views/:view', { schema: { params: viewParams, body: viewPatchSchema } }, async (request) => {
    const access = await accessOf(ctx, request);
    return updateView(engine, access, request.params.sheet, request.params.view, request.body);
  });

  app.delete('/api/w/:ws/sheets/:sheet/views/:view', { schema: { params: viewParams } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    await deleteView(engine, access, request.params.sheet, request.params.view);
    return reply.status(204).send();
  });

  app.get('/api/w/:ws/sheets/:sheet/groups', { schema: { params: sheetParams, querystring: groupQuery } }, async (request) => {
    const access = await accessOf(ctx, request);
    const { filter, ...rest } = request.query;
    return { groups: await groupSheetRecords(engine, access, request.params.sheet, { ...rest, filter: parseFilter(filter) }) };
  });

  app.get('/api/w/:ws/members', { schema: { params: wsParams } }, async (request) => {
    return listMembers(engine, await accessOf(ctx, request));
  });
};
