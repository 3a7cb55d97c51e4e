import type { ColumnType, Generated, Kysely } from 'kysely';

/** The system tables created by `migrations/`. Rows of workspace data live in per-workspace schemas instead. */
export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  id: string; // sha256 of the cookie token: a stolen table grants nothing
  user_id: string;
  created_at: Generated<Date>;
  expires_at: Date;
  /** The session's id in the API: not the cookie, not its hash, so knowing it grants nothing. */
  public_id: string;
  last_seen_at: Generated<Date>;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  expires_at: Date | null;
}

/** Sign-in attempt counters (server/auth/rate-limits.ts), one per scope and hashed key, in fixed windows. */
export interface RateLimitsTable {
  scope: string;
  key: string;
  hits: number;
  window_ends_at: Date;
}

export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: Generated<Date>;
  created_by: string | null;
  /** Raised by every schema change; pg returns a bigint as a string. */
  catalog_version: ColumnType<string, never, never>;
  /** IANA time zone schedules and date triggers run in. */
  time_zone: Generated<string>;
  locale: Generated<string>;
}

/** The built-in roles every workspace has (schema-engine/access/builtins.ts). */
export type BuiltInRole = 'owner' | 'admin' | 'editor' | 'viewer';

export interface WorkspaceMembersTable {
  workspace_id: string;
  user_id: string;
  role_id: string;
  /** An inactive member cannot sign in to the workspace; their records and history stay. */
  active: Generated<boolean>;
  joined_at: Generated<Date>;
}

type Json = ColumnType<unknown, string, string>;

export interface RolesTable {
  id: string;
  workspace_id: string;
  name: string;
  name_key: string;
  builtin_key: BuiltInRole | null;
  design: boolean;
  members: boolean;
  /** {"<sheet id>": SheetAccess} (schema-engine/access/model.ts). */
  sheets: Json;
  other_sheets: Json;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface TeamsTable {
  id: string;
  workspace_id: string;
  name: string;
  name_key: string;
  manager_id: string | null;
  created_at: Generated<Date>;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  workspace_id: string;
}

export interface InvitationsTable {
  id: string;
  workspace_id: string;
  email: string;
  role_id: string;
  teams: Json;
  token_hash: string;
  expires_at: Date;
  created_by: string | null;
  created_at: Generated<Date>;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Generated<Date>;
}

export interface AuditLogTable {
  id: Generated<string>;
  workspace_id: string;
  at: Generated<Date>;
  by: string | null;
  action: string;
  target_kind: string;
  target_id: string | null;
  target_name: string | null;
  before: Json | null;
  after: Json | null;
}

export interface SheetsTable {
  id: string;
  workspace_id: string;
  name: string;
  /** nameKey(name) (schema-changes/names.ts), unique among live sheets of a workspace. */
  name_key: string;
  primary_field_id: string | null;
  position: number;
  version: Generated<number>;
  created_at: Generated<Date>;
  deleted_at: Date | null;
}

export interface FieldsTable {
  id: string;
  workspace_id: string;
  sheet_id: string;
  name: string;
  /** nameKey(name), unique among live fields of a sheet. */
  name_key: string;
  type: string;
  options: Json;
  required: boolean;
  unique: boolean;
  description: string;
  default_value: Json | null;
  position: number;
  created_at: Generated<Date>;
  deleted_at: Date | null;
}

export type TrashKind = 'sheet' | 'field' | 'field_version';

export interface TrashTable {
  id: string;
  workspace_id: string;
  kind: TrashKind;
  sheet_id: string;
  field_id: string | null;
  name: string;
  payload: Json;
  deleted_at: Generated<Date>;
  deleted_by: string | null;
}

export interface RecordHistoryTable {
  id: Generated<string>;
  workspace_id: string;
  sheet_id: string;
  record_id: string;
  at: Generated<Date>;
  by_user: string | null;
  action: 'create' | 'update' | 'delete' | 'restore';
  changes: Json;
  /** The workflow run or the import that made the change, if one did (by its id). */
  via: string | null;
  /** A restored change's author who is no user here (018): their name and email as the backup had them. */
  author_name: Generated<string | null>;
  author_email: Generated<string | null>;
}

export interface AttachmentsTable {
  id: string;
  workspace_id: string;
  name: string;
  size: number;
  mime_type: string;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface SheetRulesTable {
  id: string;
  workspace_id: string;
  sheet_id: string;
  condition: Json; // JsonLogic with field ids in its vars
  message: string;
  position: number;
  created_at: Generated<Date>;
  /** "validate" (the condition must hold) or "lock" (while it holds, `locked_fields` are read-only). */
  kind: Generated<'validate' | 'lock'>;
  /** Field ids a lock rule locks; NULL: every field, and the record cannot be deleted. */
  locked_fields: Json | null;
}

export interface ViewsTable {
  id: string;
  workspace_id: string;
  sheet_id: string;
  name: string;
  type: string;
  config: unknown;
  position: number;
  version: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface FormsTable {
  id: string;
  workspace_id: string;
  sheet_id: string;
  name: string;
  position: number;
  is_default: Generated<boolean>;
  draft: unknown; // FormLayout with field ids
  version: Generated<number>;
  published_version: number | null;
  public_token: string | null;
  public_settings: unknown;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface FormVersionsTable {
  form_id: string;
  version: number;
  layout: unknown;
  published_by: string | null;
  published_at: Generated<Date>;
}

export interface ConversionsTable {
  id: string;
  workspace_id: string;
  sheet_id: string;
  name: string;
  spec: unknown; // ConversionSpec with field and sheet ids
  created_at: Generated<Date>;
}

export interface DocumentsTable {
  id: string;
  workspace_id: string;
  sheet_id: string;
  name: string;
  /** nameKey(name), unique per sheet. */
  name_key: string;
  template: string; // Handlebars
  locale: Generated<string>;
  version: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Secrets shared by every app server on the database (migration 009): `cursor` signs listing cursors. */
export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: Generated<Date>;
}

export type MailStatus = 'queued' | 'sending' | 'sent' | 'kept' | 'failed';

/** Mails the app wrote (server/mail/), sent or kept. */
export interface MailsTable {
  id: string;
  workspace_id: string | null;
  /** What it was for (invitation, password_reset, workflow) and the id of that thing. */
  kind: string;
  ref_id: string | null;
  from_address: string;
  to_addresses: string[];
  cc_addresses: Generated<string[]>;
  subject: string;
  text: string;
  html: string | null;
  status: MailStatus;
  attempts: Generated<number>;
  last_error: string | null;
  /** The Message-ID the mail was sent with. */
  message_id: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
  /** [{filename, contentType, content}] (a workflow email's document). */
  attachments: ColumnType<unknown, string | undefined, string>;
}

export interface WorkflowsTable {
  id: string;
  workspace_id: string;
  name: string;
  enabled: boolean;
  version: number;
  /** Signs the workflow's webhooks; never shown. */
  secret: string;
  /** The current version's trigger type and sheet, for the lookup a record write makes. */
  trigger_type: string;
  trigger_sheet_id: string | null;
  created_by: string | null;
  updated_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  deleted_at: Date | null;
}

export interface WorkflowVersionsTable {
  workflow_id: string;
  version: number;
  name: string;
  /** Trigger and steps with sheet and field ids (workflows/model.ts). */
  trigger: Json;
  steps: Json;
  created_by: string | null;
  created_at: Generated<Date>;
}

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface WorkflowRunsTable {
  id: string;
  workspace_id: string;
  workflow_id: string;
  version: number;
  status: RunStatus;
  sheet_id: string | null;
  record_id: string | null;
  depth: Generated<number>;
  acting_user_id: string | null;
  /** {record, old, user, form?}: values by field id. */
  trigger: Json;
  event_key: string | null;
  started_at: Generated<Date>;
  finished_at: Date | null;
  error: string | null;
}

export interface WorkflowRunStepsTable {
  run_id: string;
  path: string;
  position: number;
  type: string;
  status: StepStatus;
  attempts: Generated<number>;
  started_at: Date | null;
  finished_at: Date | null;
  output: Json | null;
  error: string | null;
}

export interface WorkflowMatchesTable {
  workflow_id: string;
  record_id: string;
  since: Generated<Date>;
}

export interface WorkflowTurnsTable {
  workflow_id: string;
  step_path: string;
  field_id: string;
  last_user_id: string;
  taken_at: Generated<Date>;
}

export interface ApprovalsTable {
  id: string;
  workspace_id: string;
  workflow_id: string;
  run_id: string;
  step_path: string;
  sheet_id: string | null;
  record_id: string | null;
  title: string;
  message: string;
  approvers: string[];
  lock_fields: Generated<string[]>;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  requested_at: Generated<Date>;
  decided_by: string | null;
  decided_at: Date | null;
  comment: string | null;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  workspace_id: string | null;
  at: Generated<Date>;
  message: string;
  link: string | null;
  run_id: string | null;
  read_at: Date | null;
}

export type ImportStatus = 'previewed' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ImportsTable {
  id: string;
  workspace_id: string;
  number: number;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  file_name: string;
  size: number;
  format: 'csv' | 'tsv' | 'xlsx';
  settings: Json;
  columns: Json;
  row_count: number;
  status: ImportStatus;
  options: Json | null;
  sheet_id: string | null;
  language: Generated<string>;
  processed: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  skipped: Generated<number>;
  problem_count: Generated<number>;
  cancel_requested: Generated<boolean>;
  error: string | null;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface ImportProblemsTable {
  import_id: string;
  seq: number;
  row: number;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface RecordWebhooksTable {
  id: string;
  workspace_id: string;
  sheet_id: string;
  url: string;
  events: string[];
  /** Signs the deliveries; shown once, when created. */
  secret: string;
  enabled: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event: string;
  record_id: string;
  /** The exact body sent and signed. */
  body: string;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  attempt_log: ColumnType<unknown, string | undefined, string>;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
  created_at: Generated<Date>;
  last_attempt_at: Date | null;
  finished_at: Date | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  rate_limits: RateLimitsTable;
  workspaces: WorkspacesTable;
  workspace_members: WorkspaceMembersTable;
  sheets: SheetsTable;
  fields: FieldsTable;
  trash: TrashTable;
  record_history: RecordHistoryTable;
  attachments: AttachmentsTable;
  sheet_rules: SheetRulesTable;
  views: ViewsTable;
  forms: FormsTable;
  form_versions: FormVersionsTable;
  conversions: ConversionsTable;
  documents: DocumentsTable;
  server_secrets: ServerSecretsTable;
  mails: MailsTable;
  roles: RolesTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  audit_log: AuditLogTable;
  workflows: WorkflowsTable;
  workflow_versions: WorkflowVersionsTable;
  workflow_runs: WorkflowRunsTable;
  workflow_run_steps: WorkflowRunStepsTable;
  workflow_matches: WorkflowMatchesTable;
  workflow_turns: WorkflowTurnsTable;
  approvals: ApprovalsTable;
  notifications: NotificationsTable;
  imports: ImportsTable;
  import_problems: ImportProblemsTable;
  record_webhooks: RecordWebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type Db = Kysely<Database>;
