import pg from 'pg';

export interface Statement {
  text: string;
  values: unknown[];
}

/** Records the SQL statements sent through `pg` (any pool or client) from now until `stop()`, in order. */
export function watchStatements(): { seen: Statement[]; stop(): void } {
  const seen: Statement[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [config, values] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
    if (typeof config === 'string') seen.push({ text: config, values: values ?? [] });
    else if (config && typeof config.text === 'string') seen.push({ text: config.text, values: config.values ?? values ?? [] });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return { seen, stop: () => (pg.Client.prototype.query = original) };
}

/** The SQL statements `work` sends through `pg` (any pool or client), in order. */
export async function statementsOf(work: () => Promise<unknown>): Promise<Statement[]> {
  const watch = watchStatements();
  try {
    await work();
  } finally {
    watch.stop();
  }
  return watch.seen;
}
