import { z } from 'zod';
import type { Db } from '../db.js';
import { badRequest } from '../errors.js';

export interface NotificationJson {
  id: string;
  at: string;
  workspaceId: string | null;
  message: string;
  link: string | null;
  read: boolean;
}

/** A user's notifications, newest first (the latest 200), of the workspaces they are still an active member of. */
export async function listNotifications(db: Db, userId: string, options: { unread?: boolean } = {}): Promise<NotificationJson[]> {
  let query = db
    .selectFrom('notifications as n')
    .select(['n.id', 'n.at', 'n.workspace_id', 'n.message', 'n.link', 'n.read_at'])
    .where('n.user_id', '=', userId)
    .where((eb) =>
      eb.or([
        eb('n.workspace_id', 'is', null),
        eb.exists(eb.selectFrom('workspace_members as m').select('m.user_id').whereRef('m.workspace_id', '=', 'n.workspace_id').where('m.user_id', '=', userId).where('m.active', '=', true)),
      ]),
    );
  if (options.unread) query = query.where('n.read_at', 'is', null);
  const rows = await query.orderBy('n.at', 'desc').orderBy('n.id', 'desc').limit(200).execute();
  return rows.map((r) => ({ id: r.id, at: r.at.toISOString(), workspaceId: r.workspace_id, message: r.message, link: r.link, read: r.read_at !== null }));
}

export const readInputSchema = z.object({ ids: z.array(z.string().min(1).max(40)).min(1).max(1000) }).strict();

/** Marks the user's own notifications read (others' ids are ignored); answers how many changed. */
export async function markNotificationsRead(db: Db, userId: string, input: unknown): Promise<{ updated: number }> {
  const parsed = readInputSchema.safeParse(input);
  if (!parsed.success) throw badRequest('ids: must be a list of notification ids', { fields: { ids: 'must be a list of 1 to 1000 notification ids' } });
  const result = await db
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('user_id', '=', userId)
    .where('id', 'in', parsed.data.ids)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return { updated: Number(result.numUpdatedRows) };
}
