import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createRole,
  createTeam,
  deleteRole,
  deleteTeam,
  effectiveAccess,
  listAudit,
  listRoles,
  listTeams,
  memberPatchSchema,
  removeMember,
  roleInputSchema,
  rolePatchSchema,
  teamInputSchema,
  teamPatchSchema,
  updateMember,
  updateRole,
  updateTeam,
} from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { wsParams } from './params.js';

const memberParams = wsParams.extend({ user: z.string().max(40) });
const roleParams = wsParams.extend({ role: z.string().max(300) });
const teamParams = wsParams.extend({ team: z.string().max(300) });

/** A workspace's people (members, roles, teams) and its audit log; the engine decides who may change them. */
export const teamRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;

  app.patch('/api/w/:ws/members/:user', { schema: { params: memberParams, body: memberPatchSchema } }, async (request) => {
    return updateMember(engine, await accessOf(ctx, request), request.params.user, request.body);
  });

  app.delete('/api/w/:ws/members/:user', { schema: { params: memberParams } }, async (request, reply) => {
    await removeMember(engine, await accessOf(ctx, request), request.params.user);
    return reply.status(204).send();
  });

  app.get('/api/w/:ws/roles', { schema: { params: wsParams } }, async (request) => listRoles(engine, await accessOf(ctx, request)));

  app.post('/api/w/:ws/roles', { schema: { params: wsParams, body: roleInputSchema } }, async (request, reply) => {
    return reply.status(201).send(await createRole(engine, await accessOf(ctx, request), request.body));
  });

  app.patch('/api/w/:ws/roles/:role', { schema: { params: roleParams, body: rolePatchSchema } }, async (request) => {
    return updateRole(engine, await accessOf(ctx, request), request.params.role, request.body);
  });

  app.delete('/api/w/:ws/roles/:role', { schema: { params: roleParams } }, async (request, reply) => {
    await deleteRole(engine, await accessOf(ctx, request), request.params.role);
    return reply.status(204).send();
  });

  app.get('/api/w/:ws/teams', { schema: { params: wsParams } }, async (request) => listTeams(engine, await accessOf(ctx, request)));

  app.post('/api/w/:ws/teams', { schema: { params: wsParams, body: teamInputSchema } }, async (request, reply) => {
    return reply.status(201).send(await createTeam(engine, await accessOf(ctx, request), request.body));
  });

  app.patch('/api/w/:ws/teams/:team', { schema: { params: teamParams, body: teamPatchSchema } }, async (request) => {
    return updateTeam(engine, await accessOf(ctx, request), request.params.team, request.body);
  });

  app.delete('/api/w/:ws/teams/:team', { schema: { params: teamParams } }, async (request, reply) => {
    await deleteTeam(engine, await accessOf(ctx, request), request.params.team);
    return reply.status(204).send();
  });

  // The caller's effective access here (with X-Preview-Role: the previewed role's), for the client to follow.
  app.get('/api/w/:ws/access', { schema: { params: wsParams } }, async (request) => effectiveAccess(await accessOf(ctx, request)));

  app.get('/api/w/:ws/audit', { schema: { params: wsParams, querystring: z.object({ cursor: z.string().max(40).optional() }) } }, async (request) => {
    return listAudit(engine, await accessOf(ctx, request), request.query.cursor);
  });
};
