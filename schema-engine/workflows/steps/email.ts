import { z } from 'zod';
import type { StoredStep } from '../model.js';
import { checkTemplate, invalid } from '../resolve.js';
import { renderDocument } from '../../documents/render.js';
import { resolvePeople } from './people.js';
import { renderHtml, renderText } from './render.js';
import { StepError, type StepContext, type StepHandler } from './types.js';

type Email = Extract<StoredStep, { type: 'send_email' }>;

const list = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const isEmail = (value: string) => z.email().safeParse(value).success;

/** Addresses as given, or the emails of the members named (by id, or a role). */
async function addresses(refs: string[], ctx: StepContext): Promise<string[]> {
  const out: string[] = [];
  for (const ref of refs) {
    for (const part of renderText(ref, ctx.data).split(',').map((s) => s.trim()).filter(Boolean)) {
      if (isEmail(part)) out.push(part);
      else out.push(...(await resolvePeople([part], ctx)).map((p) => p.email));
    }
  }
  return [...new Set(out)];
}

interface Mail {
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; contentType: string; content: string }[];
}

/**
 * Writes the mail in the step's own transaction (server/mail: sent by its job when SMTP is configured, else kept):
 * the mail exists if and only if the step is recorded done, so a retried or resumed run never sends it twice.
 */
export const sendEmailStep: StepHandler<Email, Mail> = {
  type: 'send_email',
  effect: true,
  resolve(input, ctx) {
    const to = list(input.to);
    const cc = list(input.cc);
    if (!to.length) throw invalid(`${ctx.path}.to`, 'must name at least one recipient');
    to.forEach((t, i) => checkTemplate(t, `${ctx.path}.to.${i}`));
    cc.forEach((t, i) => checkTemplate(t, `${ctx.path}.cc.${i}`));
    checkTemplate(input.subject, `${ctx.path}.subject`);
    checkTemplate(input.body, `${ctx.path}.body`);
    if (input.document !== undefined && !ctx.sheet) throw invalid(`${ctx.path}.document`, 'needs a trigger with a sheet: the document is of its record');
    // The document is checked against the sheet's documents (and stored by id) when the workflow is saved.
    return { type: 'send_email', to, cc, subject: input.subject, body: input.body, ...(input.document !== undefined ? { document: input.document } : {}) };
  },
  display: (stored) => stored,
  async plan(stored, ctx) {
    const to = await addresses(stored.to, ctx);
    if (!to.length) throw new StepError('the mail has no recipient: "to" came out empty');
    const subject = renderText(stored.subject, ctx.data).replace(/[\r\n]+/g, ' ').trim().slice(0, 998);
    if (!subject) throw new StepError('the subject came out empty');
    const mail: Mail = { to, cc: await addresses(stored.cc, ctx), subject, text: renderText(stored.body, ctx.data), html: renderHtml(stored.body, ctx.data) };
    if (stored.document !== undefined) {
      if (!ctx.sheet || !ctx.recordId) throw new StepError('the document needs the trigger record');
      // Rendered as the run's user sees the record (fields hidden from them are not in it), attached as HTML.
      const doc = await renderDocument(ctx.engine, ctx.access, ctx.sheet.id, stored.document, ctx.recordId);
      mail.attachments = [{ filename: `${doc.title.replace(/[\\/:*?"<>|\r\n]+/g, ' ').trim() || 'document'}.html`, contentType: 'text/html; charset=utf-8', content: doc.html }];
    }
    return mail;
  },
  async execute(plan, ctx) {
    const mail = await ctx.services.mail.queueMail(ctx.trx, { kind: 'workflow', refId: ctx.run.id, workspaceId: ctx.run.workspaceId, ...plan });
    const attached = plan.attachments?.map((a) => a.filename);
    return { output: { mailId: mail.id, status: mail.status, to: plan.to, cc: plan.cc, subject: plan.subject, text: plan.text, ...(attached ? { attachments: attached } : {}) } };
  },
  preview: (plan) => ({ to: plan.to, cc: plan.cc, subject: plan.subject, text: plan.text, ...(plan.attachments ? { attachments: plan.attachments.map((a) => a.filename) } : {}) }),
};
