import type { StepType } from '../model.js';
import { approvalStep } from './approval.js';
import { conditionStep } from './condition.js';
import { sendEmailStep } from './email.js';
import { notifyStep } from './notify.js';
import { createRecordStep, updateRecordStep } from './records.js';
import type { StepHandler } from './types.js';
import { waitStep } from './wait.js';
import { webhookStep } from './webhook.js';

/** The steps this version runs, by type; a type not here is refused when a workflow is saved. (`any`: each handler has its own stored and plan types.) */
const handlers: Partial<Record<StepType, StepHandler<any, any>>> = {
  condition: conditionStep,
  update_record: updateRecordStep,
  create_record: createRecordStep,
  send_email: sendEmailStep,
  notify: notifyStep,
  webhook: webhookStep,
  approval: approvalStep,
  wait: waitStep,
};

export function stepHandler(type: string): StepHandler | undefined {
  return Object.hasOwn(handlers, type) ? handlers[type as StepType] : undefined;
}
