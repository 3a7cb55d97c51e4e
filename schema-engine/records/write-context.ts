import type { Db } from '../db.js';
import type { AttachmentRef, References, UserRef, WriteContext } from '../field-types/field-type.js';

/** Loads the users (members of the workspace) and uploaded files a batch of writes refers to. */
export async function loadWriteContext(db: Db, workspaceId: string, refs: Required<References>): Promise<WriteContext> {
  const users = new Map<string, UserRef>();
  const attachments = new Map<string, AttachmentRef>();
  if (refs.users.length) {
    const emails = refs.users.map((u) => u.toLowerCase());
    const rows = await db
      .selectFrom('users as u')
      .innerJoin('workspace_members as m', (join) => join.onRef('m.user_id', '=', 'u.id').on('m.workspace_id', '=', workspaceId))
      .select(['u.id', 'u.name', 'u.email'])
      .where((eb) => eb.or([eb('u.id', 'in', refs.users), eb('u.email', 'in', emails)]))
      .execute();
    for (const row of rows) {
      users.set(row.id, row);
      users.set(row.email, row);
    }
  }
  if (refs.attachments.length) {
    const rows = await db
      .selectFrom('attachments')
      .select(['id', 'name', 'size', 'mime_type'])
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', refs.attachments)
      .execute();
    for (const row of rows) attachments.set(row.id, { id: row.id, name: row.name, size: Number(row.size), mimeType: row.mime_type });
  }
  return {
    user: (key) => users.get(key) ?? users.get(key.toLowerCase()),
    attachment: (id) => attachments.get(id),
  };
}
