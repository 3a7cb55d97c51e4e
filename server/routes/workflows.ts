import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  cancelRun,
  getSettings,
  updateSettings,
  decideApproval,
  listMyApprovals,
  createWorkflow,
  deleteWorkflow,
  getRun,
  getWorkflow,
  listNotifications,
  listRuns,
  listWorkflows,
  markNotificationsRead,
  pressButton,
  pressButtonField,
  listButtons,
  retryRun,
  testWorkflow,
  updateWorkflow,
} from '../../schema-engine/index.js';
import { requireUser } from '../auth/authenticate.js';
import { accessOf } from '../authorize.js';
import { booleanFlag, recordParams, sheetParams, wsParams } from './params.js';

const workflowParams = wsParams.extend({ id: z.string() });
const runParams = wsParams.extend({ run: z.string() });
/** Bodies are checked by the engine, which names the bad key by its path (`steps.2.subject`). */
const anyBody = z.unknown();

/** Workflows, their runs, buttons and notifications (what each may do is decided by the engine). */
export const workflowRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;

  app.get('/api/w/:ws/workflows', { schema: { params: wsParams } }, async (request) => listWorkflows(engine, await accessOf(ctx, request)));

  app.post('/api/w/:ws/workflows', { schema: { params: wsParams, body: anyBody } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    return reply.status(201).send(await createWorkflow(engine, access, request.body));
  });

  app.get('/api/w/:ws/workflows/:id', { schema: { params: workflowParams } }, async (request) => getWorkflow(engine, await accessOf(ctx, request), request.params.id));

  app.patch('/api/w/:ws/workflows/:id', { schema: { params: workflowParams, body: anyBody } }, async (request) => {
    return updateWorkflow(engine, await accessOf(ctx, request), request.params.id, request.body);
  });

  app.delete('/api/w/:ws/workflows/:id', { schema: { params: workflowParams } }, async (request, reply) => {
    await deleteWorkflow(engine, await accessOf(ctx, request), request.params.id);
    return reply.status(204).send();
  });

  app.post('/api/w/:ws/workflows/:id/test', { schema: { params: workflowParams, body: anyBody } }, async (request) => {
    return testWorkflow(engine, await accessOf(ctx, request), request.params.id, request.body);
  });

  app.get('/api/w/:ws/workflows/:id/runs', { schema: { params: workflowParams, querystring: z.object({ status: z.string().optional(), cursor: z.string().optional() }) } }, async (request) => {
    return listRuns(engine, await accessOf(ctx, request), request.params.id, request.query);
  });

  app.get('/api/w/:ws/runs/:run', { schema: { params: runParams } }, async (request) => getRun(engine, await accessOf(ctx, request), request.params.run));
  app.post('/api/w/:ws/runs/:run/retry', { schema: { params: runParams } }, async (request) => retryRun(engine, await accessOf(ctx, request), request.params.run));
  app.post('/api/w/:ws/runs/:run/cancel', { schema: { params: runParams } }, async (request) => cancelRun(engine, await accessOf(ctx, request), request.params.run));

  app.get('/api/w/:ws/sheets/:sheet/buttons', { schema: { params: sheetParams } }, async (request) => {
    return listButtons(engine, await accessOf(ctx, request), request.params.sheet);
  });

  app.post('/api/w/:ws/sheets/:sheet/records/:record/buttons/:workflow', { schema: { params: recordParams.extend({ workflow: z.string() }) } }, async (request, reply) => {
    const { sheet, record, workflow } = request.params;
    return reply.status(202).send(await pressButton(engine, await accessOf(ctx, request), sheet, record, workflow));
  });

  // A `button` field pressed (API.md extension): `{runId}` when it runs a workflow, `{url}` when it opens an address.
  app.post('/api/w/:ws/sheets/:sheet/records/:record/fields/:field/press', { schema: { params: recordParams.extend({ field: z.string() }) } }, async (request, reply) => {
    const { sheet, record, field } = request.params;
    const pressed = await pressButtonField(engine, await accessOf(ctx, request), sheet, record, field);
    // A started run is accepted (it goes on in the background), like a workflow's own button.
    return reply.status('runId' in pressed ? 202 : 200).send(pressed);
  });

  app.get('/api/w/:ws/settings', { schema: { params: wsParams } }, async (request) => getSettings(engine, await accessOf(ctx, request)));
  app.patch('/api/w/:ws/settings', { schema: { params: wsParams, body: anyBody } }, async (request) => updateSettings(engine, await accessOf(ctx, request), request.body));

  app.get('/api/me/approvals', async (request) => listMyApprovals(engine.db, requireUser(request).id));

  app.post('/api/w/:ws/approvals/:id', { schema: { params: workflowParams, body: anyBody } }, async (request) => {
    return decideApproval(engine, await accessOf(ctx, request), request.params.id, request.body);
  });

  app.get('/api/me/notifications', { schema: { querystring: z.object({ unread: booleanFlag }) } }, async (request) => {
    return listNotifications(engine.db, requireUser(request).id, { unread: request.query.unread });
  });

  app.post('/api/me/notifications/read', { schema: { body: anyBody } }, async (request) => markNotificationsRead(engine.db, requireUser(request).id, request.body));
};
