import { compileWorkflowCondition, displayWorkflowCondition, workflowConditionHolds } from '../conditions.js';
import { invalid } from '../resolve.js';
import type { StoredStep } from '../model.js';
import type { StepHandler } from './types.js';

type Condition = Extract<StoredStep, { type: 'condition' }>;

/** Goes on when the condition holds over the trigger record (as earlier steps left it); ends the run quietly if not. */
export const conditionStep: StepHandler<Condition, { passed: boolean }> = {
  type: 'condition',
  resolve(input, ctx) {
    if (!ctx.sheet) throw invalid(`${ctx.path}.condition`, 'a condition needs a trigger with a sheet');
    return { type: 'condition', condition: compileWorkflowCondition(ctx.sheet, input.condition, `${ctx.path}.condition`) };
  },
  display: (stored, ctx) => ({ type: 'condition', condition: displayWorkflowCondition(ctx.sheet, stored.condition) }),
  async plan(stored, ctx) {
    return { passed: workflowConditionHolds(stored.condition, ctx.values) };
  },
  async execute(plan) {
    return { output: plan, stop: !plan.passed };
  },
};
