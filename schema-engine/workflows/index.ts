// Workflows: triggers on record writes and forms, steps run durably on the job queue (runs.ts, execute.ts).
export { listWorkflows, getWorkflow, createWorkflow, updateWorkflow, deleteWorkflow, type WorkflowDef } from './workflows.js';
export { workflowInputSchema, workflowPatchSchema, TRIGGER_TYPES, STEP_TYPES, type WorkflowJson, type StepInput, type TriggerShape } from './model.js';
export { EVENT_TASK, recordEventSchema, type RecordEvent } from './events.js';
export type { WorkflowServices, MailRequest } from './steps/types.js';
export { dispatchRecordEvent, fireSchedule, fireDate, type ScheduledFiring } from './dispatch.js';
export { dateFireTime, DATE_TASK, type DateFiring } from './dates.js';
export { nextOccurrence, isTimeZone, SCHEDULE_TASK } from './schedule.js';
export { executeRun, type RunAttempt } from './execute.js';
export { listRuns, getRun, retryRun, cancelRun, RUN_TASK, MAX_DEPTH, type RunJson } from './runs.js';
export { pressButton, testWorkflow, listButtons, type StepPreview } from './manual.js';
export { pressButtonField } from './button-field.js';
export { listNotifications, markNotificationsRead, type NotificationJson } from './notifications.js';
export { StepError } from './steps/types.js';
export { listMyApprovals, decideApproval, type ApprovalJson } from './approvals.js';
export { getSettings, updateSettings, type WorkspaceSettings } from './settings.js';
