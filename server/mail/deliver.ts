import { sql } from 'kysely';
import type { Db, MailStatus } from '../../schema-engine/index.js';
import type { JobInfo } from '../jobs/task.js';
import type { Mailer } from './mailer.js';
import { describeError, smtpVerdict } from './smtp-errors.js';

const INTERRUPTED =
  'interrupted while sending (the server stopped or lost its database): the SMTP server may have accepted it, so it is not sent again';
const UNANSWERED = 'the connection ended before the SMTP server answered, so it may have accepted it: not sent again';

/**
 * Sends one mail row, at most once.
 *
 * The row is claimed (`queued` → `sending`, committed) before the SMTP conversation starts and settled (`sent`,
 * `failed`, or back to `queued` to be retried) after it ends. What is guaranteed:
 * - A row is never sent twice: only a `queued` row is claimed, and a row is put back to `queued` only when the SMTP
 *   server surely did not take the mail (it answered 4xx, or could not be reached: smtp-errors.ts).
 * - A crash (the process killed, the database lost) between the claim and the settling leaves the row `sending`:
 *   the SMTP server may or may not have accepted the mail. graphile-worker runs the job again once its lock expires,
 *   and that run marks the row `failed`, saying so, instead of risking a second copy. The same holds for a
 *   connection that ends mid-conversation without an answer. So a mail may be lost in those rare cases (visible as
 *   failed), never duplicated.
 * - A temporary failure is retried with graphile-worker's backoff, each attempt counted on the row with its error;
 *   the last one ends `failed`. A 5xx answer ends `failed` at once.
 */
export async function deliverMail(db: Db, mailer: Mailer, mailId: string, job: JobInfo): Promise<void> {
  const transport = await mailer.transport();
  // Queued while SMTP_URL was set, run by a server started without it: kept, as that server keeps all mail.
  if (!transport) await settle(db, mailId, 'kept', {}, 'queued');
  const mail = await db
    .updateTable('mails')
    .set({ status: 'sending', attempts: sql`attempts + 1` })
    .where('id', '=', mailId)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
  if (!mail || !transport) {
    // Already sent, failed or kept, gone with its workspace, or left `sending` by an interrupted run.
    await settle(db, mailId, 'failed', { last_error: INTERRUPTED }, 'sending');
    return;
  }
  let info;
  try {
    info = await transport.sendMail({
      from: mail.from_address,
      to: mail.to_addresses,
      cc: mail.cc_addresses,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html !== null ? { html: mail.html } : {}),
      ...(Array.isArray(mail.attachments) && mail.attachments.length ? { attachments: mail.attachments as { filename: string; contentType: string; content: string }[] } : {}),
      // From the row's id: any copy of one mail carries the same Message-ID, by which mail systems drop duplicates.
      messageId: `<${mail.id}@${domainOf(mail.from_address)}>`,
    });
  } catch (error) {
    const verdict = smtpVerdict(error);
    const message = describeError(error);
    if (verdict === 'retry' && job.attempt < job.maxAttempts) {
      await settle(db, mailId, 'queued', { last_error: message });
      // Thrown for graphile-worker to retry the job later.
      throw new Error(`mail ${mailId} not sent, retried later: ${message}`);
    }
    await settle(db, mailId, 'failed', { last_error: verdict === 'unknown' ? `${message}: ${UNANSWERED}` : message });
    return;
  }
  const rejected = info.rejected.length ? `not accepted for ${info.rejected.join(', ')}: ${info.response}` : mail.last_error;
  await settle(db, mailId, 'sent', { sent_at: new Date(), message_id: info.messageId, last_error: rejected });
}

async function settle(
  db: Db,
  mailId: string,
  status: MailStatus,
  values: { last_error?: string | null; sent_at?: Date; message_id?: string },
  from: MailStatus = 'sending',
): Promise<void> {
  await db.updateTable('mails').set({ status, ...values }).where('id', '=', mailId).where('status', '=', from).execute();
}

function domainOf(from: string): string {
  return /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
}
