import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema-engine/index.js';

/**
 * Tables that change on any request and say nothing about the workspace's data: sign-ins, rate-limit counters, and
 * what records when a credential was last used. Everything else must be unchanged by a refused request.
 */
const VOLATILE = new Set(['sessions', 'api_tokens', 'rate_limits', 'kysely_migration', 'kysely_migration_lock']);

/**
 * A digest of everything stored: every row of every system table, of the job queue (a refused request queues no job)
 * and of every workspace's tables, and the shape of
 * those tables (columns with their types, indexes, constraints). Two equal fingerprints mean nothing was written,
 * added, dropped or retyped between them.
 */
export async function fingerprint(db: Kysely<Database>): Promise<string> {
  const { rows: tables } = await sql<{ schema: string; name: string }>`
    SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND (table_schema IN ('public', 'graphile_worker') OR table_schema LIKE 'ws\\_%')
    ORDER BY 1, 2`.execute(db);
  const parts: string[] = [];
  for (const table of tables) {
    if (table.schema === 'public' && VOLATILE.has(table.name)) continue;
    const { rows } = await sql<{ digest: string | null; n: string }>`
      SELECT md5(string_agg(t::text, chr(30) ORDER BY t::text)) AS digest, count(*)::text AS n
      FROM ${sql.table(`${table.schema}.${table.name}`)} t`.execute(db);
    parts.push(`${table.schema}.${table.name}:${rows[0]!.n}:${rows[0]!.digest ?? ''}`);
  }
  const { rows: shape } = await sql<{ digest: string }>`
    SELECT md5(coalesce(string_agg(line, chr(30) ORDER BY line), '')) AS digest FROM (
      SELECT table_schema || '.' || table_name || '.' || column_name || ':' || data_type || ':' || is_nullable AS line
        FROM information_schema.columns WHERE table_schema = 'public' OR table_schema LIKE 'ws\\_%'
      UNION ALL
      SELECT schemaname || '.' || indexname || ':' || indexdef FROM pg_indexes WHERE schemaname = 'public' OR schemaname LIKE 'ws\\_%'
      UNION ALL
      SELECT n.nspname || '.' || c.conname || ':' || pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' OR n.nspname LIKE 'ws\\_%'
    ) lines`.execute(db);
  parts.push(`shape:${shape[0]!.digest}`);
  return parts.join('\n');
}
