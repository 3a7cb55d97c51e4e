import { z } from 'zod';

/**
 * Workflows as the API writes them (API.md, "Workflows"): a trigger and steps, naming sheets and fields by id or
 * current name. zod checks their shape here; resolve.ts then checks them against the catalog and stores them with ids.
 */

const sheetRef = z.string().trim().min(1, 'must name a sheet').max(300);
const fieldRef = z.string().trim().min(1, 'must name a field').max(300);
/** Any JSON: the condition compiler checks it against the sheet, which zod cannot do. */
const condition = z.custom<unknown>((value) => value !== undefined && value !== null, 'is required');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM, such as 09:00');
/** Handlebars text (checked when saved). */
const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

export const TRIGGER_TYPES = ['record_created', 'record_updated', 'record_matches', 'form_submitted', 'schedule', 'date', 'button'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const triggerSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('record_created'), sheet: sheetRef }).strict(),
    z.object({ type: z.literal('record_updated'), sheet: sheetRef, fields: z.array(fieldRef).max(100).optional(), condition: condition.optional() }).strict(),
    z.object({ type: z.literal('record_matches'), sheet: sheetRef, condition }).strict(),
    z.object({ type: z.literal('form_submitted'), sheet: sheetRef, form: z.string().min(1).max(100).optional() }).strict(),
    z
      .object({
        type: z.literal('schedule'),
        every: z.enum(['day', 'week', 'month']),
        at: time,
        /** 1 (Monday) to 7 (Sunday), ISO. */
        weekday: z.number().int().min(1).max(7).optional(),
        day: z.number().int().min(1).max(31).optional(),
      })
      .strict(),
    z.object({ type: z.literal('date'), sheet: sheetRef, field: fieldRef, offsetDays: z.number().int().min(-3650).max(3650), at: time }).strict(),
    z.object({ type: z.literal('button'), sheet: sheetRef, label: z.string().trim().min(1).max(100) }).strict(),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `must have a "type" of ${TRIGGER_TYPES.join(', ')}` : undefined) },
);
export type TriggerInput = z.output<typeof triggerSchema>;

export const STEP_TYPES = ['condition', 'update_record', 'create_record', 'send_email', 'webhook', 'notify', 'wait', 'approval'] as const;
export type StepType = (typeof STEP_TYPES)[number];

/** A field mapping: field (name or id) → value, where text may hold {{…}}. */
const fieldMap = z.record(z.string().min(1).max(300), z.unknown()).refine((m) => Object.keys(m).length > 0, 'must set at least one field');
/** Addresses or {{…}} placeholders, as a list or one comma-separated text. */
const recipients = z.union([text(2000), z.array(text(500)).max(50)]);
/** Users by id, email or {{…}}, or role names. */
const people = z.array(z.string().trim().min(1).max(500)).min(1, 'must name at least one').max(50);

// Approval steps hold steps of their own (onReject), so the schema refers to itself.
export const stepSchema: z.ZodType<StepInput> = z.lazy(() =>
  z.discriminatedUnion(
    'type',
    [
      z.object({ type: z.literal('condition'), condition }).strict(),
      z
        .object({
          type: z.literal('update_record'),
          record: text(500).optional(),
          sheet: sheetRef.optional(),
          fields: fieldMap,
        })
        .strict(),
      z.object({ type: z.literal('create_record'), sheet: sheetRef, fields: fieldMap }).strict(),
      z
        .object({
          type: z.literal('send_email'),
          to: recipients,
          cc: recipients.optional(),
          subject: text(998).min(1, 'must not be empty'),
          body: text(100_000),
          document: z.string().min(1).max(300).optional(),
        })
        .strict(),
      z.object({ type: z.literal('webhook'), url: text(2000).min(1, 'must not be empty'), body: z.unknown().optional() }).strict(),
      z.object({ type: z.literal('notify'), users: people, message: text(2000).min(1, 'must not be empty') }).strict(),
      z
        .object({
          type: z.literal('wait'),
          minutes: z.number().int().min(1).max(525_600).optional(),
          days: z.number().int().min(1).max(3650).optional(),
          until: text(500).optional(),
        })
        .strict()
        .refine((w) => [w.minutes, w.days, w.until].filter((v) => v !== undefined).length === 1, 'must say one of minutes, days or until'),
      z
        .object({
          type: z.literal('approval'),
          approvers: people,
          lockFields: z.array(fieldRef).max(100).optional(),
          message: text(2000).min(1, 'must not be empty'),
          onReject: z.array(stepSchema).max(20).optional(),
        })
        .strict(),
    ],
    { error: (issue) => (issue.code === 'invalid_union' ? `must have a "type" of ${STEP_TYPES.join(', ')}` : undefined) },
  ),
);

export type StepInput =
  | { type: 'condition'; condition: unknown }
  | { type: 'update_record'; record?: string; sheet?: string; fields: Record<string, unknown> }
  | { type: 'create_record'; sheet: string; fields: Record<string, unknown> }
  | { type: 'send_email'; to: string | string[]; cc?: string | string[]; subject: string; body: string; document?: string }
  | { type: 'webhook'; url: string; body?: unknown }
  | { type: 'notify'; users: string[]; message: string }
  | { type: 'wait'; minutes?: number; days?: number; until?: string }
  | { type: 'approval'; approvers: string[]; lockFields?: string[]; message: string; onReject?: StepInput[] };

/** At most this many steps in a workflow (onReject branches included). */
export const MAX_STEPS = 50;

const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const workflowInputSchema = z
  .object({
    name,
    enabled: z.boolean().optional(),
    trigger: triggerSchema,
    steps: z.array(stepSchema).max(MAX_STEPS, `a workflow has at most ${MAX_STEPS} steps`),
  })
  .strict();

export const workflowPatchSchema = z
  .object({
    name: name.optional(),
    enabled: z.boolean().optional(),
    trigger: triggerSchema.optional(),
    steps: z.array(stepSchema).max(MAX_STEPS, `a workflow has at most ${MAX_STEPS} steps`).optional(),
  })
  .strict();

export type WorkflowInput = z.output<typeof workflowInputSchema>;
export type WorkflowPatch = z.output<typeof workflowPatchSchema>;

/** A trigger's shape, as the API takes it (sheets and fields by name or id) and as it is stored. */
export type TriggerShape =
  | { type: 'record_created'; sheet: string }
  | { type: 'record_updated'; sheet: string; fields?: string[]; condition?: unknown }
  | { type: 'record_matches'; sheet: string; condition: unknown }
  | { type: 'form_submitted'; sheet: string; form?: string }
  | { type: 'schedule'; every: 'day' | 'week' | 'month'; at: string; weekday?: number; day?: number }
  | { type: 'date'; sheet: string; field: string; offsetDays: number; at: string }
  | { type: 'button'; sheet: string; label: string };

/** The stored trigger: sheets and fields by id, conditions compiled (field ids in their vars). */
export type StoredTrigger = TriggerShape;

/** A stored step: as its input, with sheets and field keys by id and conditions compiled. */
export type StoredStep =
  | { type: 'condition'; condition: unknown }
  | { type: 'update_record'; record: string; sheet: string; fields: Record<string, unknown> }
  | { type: 'create_record'; sheet: string; fields: Record<string, unknown> }
  | { type: 'send_email'; to: string[]; cc: string[]; subject: string; body: string; document?: string }
  | { type: 'webhook'; url: string; body?: unknown }
  | { type: 'notify'; users: string[]; message: string }
  | { type: 'wait'; minutes?: number; days?: number; until?: string }
  | { type: 'approval'; approvers: string[]; lockFields: string[]; message: string; onReject: StoredStep[] };

export interface WorkflowJson {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  trigger: unknown;
  steps: unknown[];
  /** Signs its webhooks (X-Signature: sha256=HMAC of the body): shown to those who may design, to check them. */
  webhookSecret: string;
  createdAt: string;
  updatedAt: string;
}
