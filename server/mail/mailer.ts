import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { fieldErrors, newId, type Database } from '../../schema-engine/index.js';
import { enqueue } from '../jobs/enqueue.js';

/** What a mail is for; its `refId` is the id of that thing (an invitation, a reset, a workflow run). */
export const MAIL_KINDS = ['invitation', 'password_reset', 'workflow'] as const;

/**
 * How many times a mail is tried. graphile-worker waits e^n seconds after the n-th failed attempt, so 10 attempts
 * span about 3.5 hours: an SMTP server down for an afternoon still gets the mail, a reset link is not hours late.
 */
export const MAIL_ATTEMPTS = 10;

const address = z.email('must be an email address').max(320);

export const mailInputSchema = z
  .object({
    kind: z.enum(MAIL_KINDS),
    refId: z.string().min(1).max(200).optional(),
    /** Absent for mails of no workspace (a password reset). */
    workspaceId: z.string().min(1).optional(),
    to: z.array(address).min(1).max(50),
    cc: z.array(address).max(50).default([]),
    subject: z.string().trim().min(1).max(998).regex(/^[^\r\n]*$/, 'must be one line'),
    text: z.string().max(1_000_000),
    html: z.string().max(2_000_000).optional(),
    /** Files sent with it (a workflow email's document), their content as text. */
    attachments: z
      .array(z.object({ filename: z.string().min(1).max(255), contentType: z.string().min(1).max(100), content: z.string().max(10_000_000) }).strict())
      .max(5)
      .optional(),
  })
  .strict();

export type MailInput = z.input<typeof mailInputSchema>;

/** Loaded on first use: a process that never sends (no SMTP_URL, most tests) does not load nodemailer. */
async function smtpTransport(url: string) {
  const { default: nodemailer } = await import('nodemailer');
  // nodemailer's defaults wait up to 2 minutes to connect and 10 for a silent server; a job, and a server stopping
  // while it runs, should not.
  return nodemailer.createTransport({ url, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 });
}

export type SmtpTransport = Awaited<ReturnType<typeof smtpTransport>>;

export interface MailSettings {
  /** SMTP_URL; without it mail is kept, not sent. */
  smtpUrl?: string;
  /** MAIL_FROM, `Name <address>`. */
  from: string;
}

/** Writes mails (server/mail/): sent by the `send_mail` job when SMTP is configured, else kept to be read. */
export class Mailer {
  readonly from: string;
  private readonly smtpUrl: string | undefined;
  private smtp: Promise<SmtpTransport> | undefined;

  constructor(settings: MailSettings) {
    this.from = settings.from;
    this.smtpUrl = settings.smtpUrl;
  }

  /** Whether mail leaves: false without SMTP_URL. */
  get sends(): boolean {
    return this.smtpUrl !== undefined;
  }

  /** The SMTP transport (made once), none without SMTP_URL. */
  transport(): Promise<SmtpTransport> | undefined {
    if (this.smtpUrl === undefined) return undefined;
    return (this.smtp ??= smtpTransport(this.smtpUrl));
  }

  /**
   * Writes a mail in `db`'s transaction (a new one if it is the pool): `queued` with its `send_mail` job when SMTP is
   * configured, so the mail is sent if and only if the caller's write commits, else `kept`. A bad mail answers 400
   * naming the field.
   */
  async queueMail(db: Kysely<Database>, input: MailInput): Promise<{ id: string; status: 'queued' | 'kept' }> {
    const parsed = mailInputSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw fieldErrors({ [String(issue.path[0] ?? 'mail')]: issue.message });
    }
    const mail = parsed.data;
    const id = newId('eml');
    const status = this.sends ? 'queued' : 'kept';
    const write = async (trx: Transaction<Database>) => {
      await trx
        .insertInto('mails')
        .values({
          id,
          workspace_id: mail.workspaceId ?? null,
          kind: mail.kind,
          ref_id: mail.refId ?? null,
          from_address: this.from,
          to_addresses: mail.to,
          cc_addresses: mail.cc,
          subject: mail.subject,
          text: mail.text,
          html: mail.html ?? null,
          ...(mail.attachments?.length ? { attachments: JSON.stringify(mail.attachments) } : {}),
          status,
        })
        .execute();
      if (status === 'queued') await enqueue(trx, 'send_mail', { mailId: id }, { maxAttempts: MAIL_ATTEMPTS });
    };
    await (db.isTransaction ? write(db as Transaction<Database>) : db.transaction().execute(write));
    return { id, status };
  }

  async close(): Promise<void> {
    (await this.smtp)?.close();
  }
}
