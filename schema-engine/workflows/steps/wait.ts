import { DateTime } from 'luxon';
import type { StoredStep } from '../model.js';
import { checkTemplate } from '../resolve.js';
import { renderText } from './render.js';
import { StepError, type StepHandler } from './types.js';

type Wait = Extract<StoredStep, { type: 'wait' }>;

/**
 * Waits some minutes or days, or until a time (`{{record.Due date}}`; a date alone is its midnight in the workspace's
 * time zone). The run leaves the queue meanwhile: its job is added again to run at that time.
 */
export const waitStep: StepHandler<Wait, { until: Date }> = {
  type: 'wait',
  resolve(input, ctx) {
    if (input.until !== undefined) checkTemplate(input.until, `${ctx.path}.until`);
    return { type: 'wait', ...(input.minutes !== undefined ? { minutes: input.minutes } : {}), ...(input.days !== undefined ? { days: input.days } : {}), ...(input.until !== undefined ? { until: input.until } : {}) };
  },
  display: (stored) => stored,
  async plan(stored, ctx) {
    if (stored.minutes !== undefined) return { until: new Date(ctx.now.getTime() + stored.minutes * 60_000) };
    if (stored.days !== undefined) return { until: DateTime.fromJSDate(ctx.now, { zone: ctx.run.zone }).plus({ days: stored.days }).toJSDate() };
    const text = renderText(stored.until ?? '', ctx.data).trim();
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone: ctx.run.zone }) : DateTime.fromISO(text, { setZone: true });
    if (!parsed.isValid) throw new StepError(`wait until "${text}": not a date or time`);
    return { until: parsed.toJSDate() };
  },
  async execute(plan, ctx) {
    const output = { until: plan.until.toISOString() };
    if (plan.until <= ctx.now) return { output: { ...output, waited: false } };
    return { output, wait: true, resumeAt: plan.until };
  },
  preview: (plan) => ({ until: plan.until.toISOString() }),
};
