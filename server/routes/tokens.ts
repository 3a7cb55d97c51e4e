import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditUserChange, newId } from '../../schema-engine/index.js';
import { requireSession } from '../auth/authenticate.js';
import { revoking } from '../auth/revocation.js';
import { newToken, tokenHash } from '../auth/tokens.js';
import { HttpError } from '../errors.js';

const expiresAt = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date and time, e.g. 2027-01-31T00:00:00Z' })
  .transform((text) => new Date(text))
  .refine((date) => date.getTime() > Date.now(), 'must be in the future')
  .nullish();

const tokenBody = z.object({ name: z.string().trim().min(1, 'is required').max(200), expiresAt }).strict();
const tokenParams = z.object({ id: z.string().max(100) });

interface TokenRow {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
}
const tokenJson = (t: TokenRow) => ({ id: t.id, name: t.name, createdAt: t.created_at, lastUsedAt: t.last_used_at, expiresAt: t.expires_at });

/**
 * A token as the audit log keeps it: never its value or hash. A token belongs to its user and acts in each of their
 * workspaces, so its creation and revocation are recorded in each workspace the user is an active member of.
 */
const tokenState = (t: TokenRow) => ({ name: t.name, createdAt: t.created_at.toISOString(), expiresAt: t.expires_at?.toISOString() ?? null });

/** The signed-in user's API tokens: shown once at creation, stored as a hash, optionally expiring, revoked at once. */
export const tokenRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const db = ctx.engine.db;

  app.get('/api/tokens', async (request) => {
    const { user } = requireSession(request);
    const rows = await db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'created_at', 'last_used_at', 'expires_at'])
      .where('user_id', '=', user.id)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(tokenJson);
  });

  app.post('/api/tokens', { schema: { body: tokenBody } }, async (request, reply) => {
    const { user } = requireSession(request);
    const token = newToken('crm');
    const row = await db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('api_tokens')
        .values({ id: newId('tok'), user_id: user.id, name: request.body.name, token_hash: tokenHash(token), expires_at: request.body.expiresAt ?? null })
        .returning(['id', 'name', 'created_at', 'last_used_at', 'expires_at'])
        .executeTakeFirstOrThrow();
      await auditUserChange(trx, user.id, 'token.create', { kind: 'token', id: created.id, name: created.name }, undefined, tokenState(created));
      return created;
    });
    return reply.status(201).send({ ...tokenJson(row), token });
  });

  app.delete('/api/tokens/:id', { schema: { params: tokenParams } }, async (request, reply) => {
    const { user } = requireSession(request);
    const { id } = request.params;
    // Not found throws inside the transaction: nothing is announced for a refused request.
    await revoking(ctx, user.id, async (trx) => {
      const revoked = await trx
        .deleteFrom('api_tokens')
        .where('id', '=', id)
        .where('user_id', '=', user.id)
        .returning(['id', 'name', 'created_at', 'last_used_at', 'expires_at'])
        .executeTakeFirst();
      if (!revoked) throw new HttpError(404, 'not_found', `No API token ${id} of yours`);
      await auditUserChange(trx, user.id, 'token.revoke', { kind: 'token', id: revoked.id, name: revoked.name }, tokenState(revoked), undefined);
    });
    return reply.status(204).send();
  });
};
