// Workflows: triggers on record writes and forms, steps run durably on the job queue (runs.ts, execute.ts).
export { listWorkflows, getWorkflow, createWorkflow, updateWorkflow, deleteWorkflow, type WorkflowDef } from './workflows.js';
export { workflowInputSchema, workflowPatchSchema, TRIGGER_TYPES, STEP_TYPES, type WorkflowJson } from './model.js';
export { EVENT_TASK, recordEventSchema, type RecordEvent } from './events.js';
export type { WorkflowServices, MailRequest } from './steps/types.js';
