import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createThroughForm, publicFormJson } from '../../schema-engine/index.js';
import { authorizePublicForm } from '../authorize.js';

const tokenParams = z.object({ token: z.string().max(64) });
/** `website` is the honeypot: hidden from people, filled in by bots; such a submission is thanked and dropped. */
const submitBody = z.object({ fields: z.unknown(), password: z.string().max(200).optional(), website: z.string().max(2000).optional() }).strict();

export interface PublicFormOptions {
  /** Submissions (and password attempts) per client address per minute. */
  rateLimit: number;
}

/**
 * Public forms (web-to-lead): anyone with the unguessable address may read the published form and submit one
 * record, written as the "Public form" user. Nothing else of the workspace is reachable from here.
 */
export const publicFormRoutes: FastifyPluginAsync<PublicFormOptions> = async (base, options) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;
  const rateLimit = { max: options.rateLimit, timeWindow: '1 minute' };
  const passwordHeader = (request: FastifyRequest) => {
    const value = request.headers['x-form-password'];
    return typeof value === 'string' ? value : undefined;
  };

  app.get('/api/public/forms/:token', { schema: { params: tokenParams }, config: { rateLimit } }, async (request) => {
    return publicFormJson(engine.db, await authorizePublicForm(ctx, request.params.token, passwordHeader(request)));
  });

  app.post('/api/public/forms/:token', { schema: { params: tokenParams, body: submitBody }, config: { rateLimit } }, async (request, reply) => {
    const form = await authorizePublicForm(ctx, request.params.token, request.body.password ?? passwordHeader(request));
    const done = { thankYou: form.settings.thankYou, redirectUrl: form.settings.redirectUrl };
    if (request.body.website) return reply.status(201).send(done);
    await createThroughForm(engine, form.access, form.sheet.id, form.rules, request.body.fields);
    return reply.status(201).send(done);
  });
};
