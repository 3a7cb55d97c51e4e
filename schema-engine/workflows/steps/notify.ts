import { newId } from '../../ids.js';
import type { StoredStep } from '../model.js';
import { checkTemplate } from '../resolve.js';
import { resolvePeople, type Person } from './people.js';
import { renderText } from './render.js';
import type { StepHandler } from './types.js';

type Notify = Extract<StoredStep, { type: 'notify' }>;

/** An in-app notification (GET /api/me/notifications) to each person named, linking to the trigger record. */
export const notifyStep: StepHandler<Notify, { users: Person[]; message: string; link: string | null }> = {
  type: 'notify',
  resolve(input, ctx) {
    input.users.forEach((u, i) => checkTemplate(u, `${ctx.path}.users.${i}`));
    checkTemplate(input.message, `${ctx.path}.message`);
    return { type: 'notify', users: input.users, message: input.message };
  },
  display: (stored) => stored,
  async plan(stored, ctx) {
    const link = ctx.sheet && ctx.recordId ? `/w/${ctx.run.workspaceId}/s/${ctx.sheet.id}/r/${ctx.recordId}` : null;
    return { users: await resolvePeople(stored.users, ctx), message: renderText(stored.message, ctx.data).slice(0, 2000), link };
  },
  async execute(plan, ctx) {
    const rows = plan.users.map((user) => ({ id: newId('ntf'), user_id: user.id, workspace_id: ctx.run.workspaceId, message: plan.message, link: plan.link, run_id: ctx.run.id }));
    await ctx.trx.insertInto('notifications').values(rows).execute();
    return { output: { users: plan.users.map((u) => u.id), message: plan.message, notifications: rows.map((r) => r.id) } };
  },
  preview: (plan) => ({ users: plan.users, message: plan.message }),
};
