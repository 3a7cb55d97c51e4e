import path from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';

/** MAIL_FROM when unset. */
export const DEFAULT_MAIL_FROM = 'CRM <no-reply@localhost>';

/** `Name <address>` or a bare address: exactly one mailbox whose address is an email. */
const mailbox = z.string().refine((value) => {
  const parsed = addressparser(value, { flatten: true });
  // Not z.email(): it wants a dotted domain, and no-reply@localhost is a fine sender for a server without one.
  return parsed.length === 1 && /^[^\s@]+@[^\s@]+$/.test(parsed[0]!.address ?? '');
}, 'must be one address, e.g. "CRM <no-reply@example.com>"');

const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  /** Port of the embedded PostgreSQL (only without DATABASE_URL). */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  /** Behind a reverse proxy: believe its X-Forwarded-* headers (client address, https). */
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465; unset = mail is kept, not sent. */
  SMTP_URL: z
    .string()
    .url()
    .refine((value) => URL.canParse(value) && /^smtps?:$/.test(new URL(value).protocol), 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: mailbox.default(DEFAULT_MAIL_FROM),
  /**
   * The address people reach the app at (https://crm.example.com): links in mails (invitations, password resets) start
   * with it. Unset, they start with the origin of the request that made the mail.
   */
  PUBLIC_URL: z
    .string()
    .url()
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'must start with http:// or https://')
    .optional(),
  /** Hosts webhooks may reach even though they are loopback, private or link-local (comma-separated). */
  WEBHOOK_ALLOW_HOSTS: z.string().max(10_000).optional(),
});

export type Config = z.output<typeof envSchema> & { dataDir: string };

/** Configuration comes from the environment only, checked once at start. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  return { ...result.data, dataDir: path.resolve(result.data.DATA_DIR) };
}
