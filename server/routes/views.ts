import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createView, deleteView, groupRecords, listViews, membersOf, sheetOrThrow, updateView, viewInputSchema, viewPatchSchema } from '../../schema-engine/index.js';
import { authorize } from '../authorize.js';
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
    const { ws } = await authorize(ctx, request, request.params.ws, 'read');
    return listViews(engine.db, sheetOrThrow(ws, request.params.sheet));
  });

  app.post('/api/w/:ws/sheets/:sheet/views', { schema: { params: sheetParams, body: viewInputSchema } }, async (request, reply) => {
    const { ws, userId } = await authorize(ctx, request, request.params.ws, 'write');
    return reply.status(201).send(await createView(engine, ws.id, request.params.sheet, request.body, userId));
  });

  app.patch('/api/w/:ws/sheets/:sheet/views/:view', { schema: { params: viewParams, body: viewPatchSchema } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'write');
    return updateView(engine, ws.id, request.params.sheet, request.params.view, request.body);
  });

  app.delete('/api/w/:ws/sheets/:sheet/views/:view', { schema: { params: viewParams } }, async (request, reply) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'write');
    await deleteView(engine, ws.id, request.params.sheet, request.params.view);
    return reply.status(204).send();
  });

  app.get('/api/w/:ws/sheets/:sheet/groups', { schema: { params: sheetParams, querystring: groupQuery } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'read');
    const { filter, ...rest } = request.query;
    return { groups: await groupRecords(engine.db, ws, sheetOrThrow(ws, request.params.sheet), { ...rest, filter: parseFilter(filter) }) };
  });

  app.get('/api/w/:ws/members', { schema: { params: wsParams } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'read');
    return membersOf(engine.db, ws.id);
  });
};
