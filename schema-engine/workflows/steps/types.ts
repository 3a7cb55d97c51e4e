import type { Transaction } from 'kysely';
import type { Access } from '../../access/model.js';
import type { SheetDef, WorkspaceOverview } from '../../catalog/model.js';
import type { Database } from '../../db.js';
import type { Engine } from '../../engine.js';
import type { WebhookPoster } from '../../webhooks/delivery.js';
import type { StepInput, StepType, StoredStep } from '../model.js';
import type { ResolveContext } from '../resolve.js';

/** A step's own failure (bad data, no recipient): final, not retried. Anything else is retried with backoff. */
export class StepError extends Error {}

/** A mail as the engine asks for it (the server's Mailer writes it: sent by the job queue, or kept without SMTP). */
export interface MailRequest {
  kind: 'workflow';
  refId: string;
  workspaceId: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; contentType: string; content: string }[];
}

/** What runs need from outside the engine. */
export interface WorkflowServices {
  mail: { queueMail(db: Transaction<Database>, input: MailRequest): Promise<{ id: string; status: string }> };
  /** POSTs to an outside URL, refusing non-public addresses at connect time (webhooks/delivery.ts). */
  webhook?: WebhookPoster;
}

/**
 * What Handlebars text in a step reads: `{{record.Name}}`, `{{old.Stage}}`, `{{steps.1.record.id}}`, `{{user.name}}`,
 * `{{now}}`, `{{today}}` (`{{addDays today 2}}`: a date two days after the run's day).
 */
export interface TemplateData {
  record: Record<string, unknown> | null;
  old: Record<string, unknown> | null;
  steps: Record<string, unknown>;
  user: { id: string; name: string; email: string } | null;
  /** The run's clock, an instant (ISO, UTC). */
  now: string;
  /** The run's calendar day in the workspace's time zone (YYYY-MM-DD): what "due in 2 days" counts from. */
  today: string;
}

/** The run as a step sees it. */
export interface StepContext {
  /** Scoped to the step's transaction, its writes marked as the run's. */
  engine: Engine;
  trx: Transaction<Database>;
  /** Whose access the run acts with. */
  access: Access;
  run: { id: string; workflowId: string; workflowName: string; workspaceId: string; depth: number; secret: string; zone: string };
  /** The run's clock: now, or the later time its job was due at (which a test sets). */
  now: Date;
  /** The trigger's sheet, its whole definition. */
  sheet: SheetDef | undefined;
  recordId: string | null;
  /** The trigger record's values (by field id), as the earlier steps left them, and before the update. */
  values: { record: Record<string, unknown>; old: Record<string, unknown> | null };
  data: TemplateData;
  services: WorkflowServices;
  /** "2", "2.onReject.0". */
  path: string;
}

/** What a step did: its output (kept on the run), whether the run ends here, the trigger record's new values. */
export interface StepResult {
  output: unknown;
  stop?: boolean;
  /** The run waits (an approval): it goes on when something puts it back on the queue. */
  wait?: boolean;
  /** A wait with an end: the run goes back on the queue for that time. */
  resumeAt?: Date;
  record?: Record<string, unknown>;
}

export interface ResolveStepContext extends ResolveContext {
  path: string;
  resolveSteps(steps: StepInput[], path: string): StoredStep[];
}

export interface DisplayStepContext extends ResolveContext {
  displaySteps(steps: StoredStep[]): unknown[];
}

/**
 * A kind of step: how it is checked and stored (names to ids), shown (ids to names), planned against a run (every
 * placeholder filled in, nothing done: what a test run shows) and carried out.
 */
export interface StepHandler<S extends StoredStep = StoredStep, P = unknown> {
  type: StepType;
  /** It reaches outside (mail, webhook): done at most once, never repeated by a retry. */
  effect?: boolean;
  /**
   * Its `execute` talks to another system and takes its time (a webhook): it runs outside any transaction, its
   * `ctx.trx` being the pool, and must not write to the database.
   */
  outside?: boolean;
  resolve(input: Extract<StepInput, { type: S['type'] }>, ctx: ResolveStepContext): S;
  display(stored: S, ctx: DisplayStepContext): unknown;
  plan(stored: S, ctx: StepContext): Promise<P>;
  execute(plan: P, ctx: StepContext): Promise<StepResult>;
  /** The plan as a test run shows it (JSON, names rather than ids); the plan itself when absent. */
  preview?(plan: P, ctx: StepContext): unknown;
}

export type { WorkspaceOverview };
