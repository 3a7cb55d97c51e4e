import type { z } from 'zod';
import type { Task } from './task.js';
import { sendMail } from './tasks/send-mail.js';
import { workflowEvent } from './tasks/workflow-event.js';
import { workflowRun } from './tasks/workflow-run.js';
import { workflowSchedule } from './tasks/workflow-schedule.js';
import { workflowDate } from './tasks/workflow-date.js';
import { buildIndexes } from './tasks/build-indexes.js';
import { importRun } from './tasks/import-run.js';
import { recordWebhook } from './tasks/record-webhook.js';

/** Every task a job may name, one module each under tasks/: the runner runs them by these names. */
export const tasks = {
  send_mail: sendMail,
  workflow_event: workflowEvent,
  workflow_run: workflowRun,
  workflow_schedule: workflowSchedule,
  workflow_date: workflowDate,
  build_indexes: buildIndexes,
  import_run: importRun,
  record_webhook: recordWebhook,
} satisfies Record<string, Task>;

export type TaskName = keyof typeof tasks;
export type TaskPayload<T extends TaskName> = z.input<(typeof tasks)[T]['payload']>;

export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(tasks, name);
}
