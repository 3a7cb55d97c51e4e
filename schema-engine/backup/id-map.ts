import type { Db } from '../db.js';

/** Old ids of the backed-up workspace to the restored one's: sheets, fields, choices, files, and people by email. */
export class IdMap {
  readonly sheets = new Map<string, string>();
  readonly fields = new Map<string, string>();
  /** Per old field id, its old choice ids to the new ones. */
  readonly choices = new Map<string, Map<string, string>>();
  readonly attachments = new Map<string, string>();
  private readonly users = new Map<string, string | null>();

  constructor(
    private readonly db: Db,
    readonly workspaceId: string,
  ) {}

  /** Looks up the users of these emails not asked for yet, in one statement. */
  async loadUsers(emails: Iterable<string | null | undefined>): Promise<void> {
    const missing = [...new Set([...emails].filter((e): e is string => typeof e === 'string' && !this.users.has(e)))];
    if (!missing.length) return;
    const rows = await this.db.selectFrom('users').select(['id', 'email']).where('email', 'in', missing).execute();
    for (const email of missing) this.users.set(email, rows.find((r) => r.email === email)?.id ?? null);
  }

  /** The user of this installation with that email (loaded before), or null. */
  user(email: string | null | undefined): string | null {
    return typeof email === 'string' ? (this.users.get(email) ?? null) : null;
  }

  choice(fieldId: string, choiceId: unknown): unknown {
    return typeof choiceId === 'string' ? (this.choices.get(fieldId)?.get(choiceId) ?? choiceId) : choiceId;
  }
}
