import pg from 'pg';

/** What one channel does with its notifications, and when notifications may have been missed. */
export interface ChannelHandler {
  onNotify(payload: string): void;
  /** The connection is lost: nothing is heard until `onListening`. */
  onDeaf?(): void;
  /** Listening (again): anything sent while deaf was missed, so a cache drops everything now. */
  onListening?(): void;
}

export interface ListenerOptions {
  log?: (message: string) => void;
  /** Shows in pg_stat_activity. */
  applicationName?: string;
  /** Reconnect backoff: the first wait, doubled after each failure up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** PostgreSQL's quoting of an identifier (channel names are ours, but LISTEN takes no parameters). */
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * One dedicated connection that LISTENs on any number of channels, each with a handler, and that reconnects with a
 * capped exponential backoff whenever the connection is lost (the backend terminated, the database restarted).
 * `close()` ends the connection and the reconnect loop.
 */
export class NotificationListener {
  private readonly handlers = new Map<string, ChannelHandler>();
  private client: pg.Client | undefined;
  private closed = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly log: (message: string) => void;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly connectionString: string,
    private readonly options: ListenerOptions = {},
  ) {
    this.log = options.log ?? (() => {});
    this.minDelayMs = options.minDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
  }

  /** Whether the connection is up and listening on every channel. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Adds a channel (before or after `start`): listened to now if connected, and after every reconnect. */
  async listen(channel: string, handler: ChannelHandler): Promise<void> {
    if (this.handlers.has(channel)) throw new Error(`channel ${channel} is listened to already`);
    this.handlers.set(channel, handler);
    const client = this.client;
    if (!client) return;
    try {
      await client.query(`LISTEN ${quoteIdent(channel)}`);
      handler.onListening?.();
    } catch (error) {
      this.lost(client, error as Error);
    }
  }

  /** Connects; resolves once listening, or after the first attempt failed (it goes on trying in the background). */
  async start(): Promise<void> {
    if (this.loop || this.closed) return;
    let first: () => void = () => {};
    const attempted = new Promise<void>((resolve) => (first = resolve));
    this.loop = this.reconnect(first);
    await attempted;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    const client = this.client;
    this.client = undefined;
    await this.loop;
    await client?.end().catch(() => undefined);
  }

  /** Tries until connected (or closed), waiting longer after each failure. */
  private async reconnect(attempted: () => void = () => {}): Promise<void> {
    let delay = this.minDelayMs;
    while (!this.closed) {
      const error = await this.connect().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      attempted();
      if (!error) return;
      this.log(`listener: cannot connect (${error.message}); trying again in ${delay} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
      delay = Math.min(delay * 2, this.maxDelayMs);
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: this.options.applicationName ?? 'crm-listen',
      // An unreachable server must not hold the loop (and `close`) for the operating system's TCP timeout.
      connectionTimeoutMillis: 10_000,
    });
    // Listened to before connecting: an error event without a listener would crash the process.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the connection ended')));
    client.on('notification', (message) => {
      const handler = this.handlers.get(message.channel);
      if (handler && message.payload !== undefined) handler.onNotify(message.payload);
    });
    try {
      await client.connect();
      // Until every channel is listened to, including one added meanwhile.
      const listened = new Set<string>();
      for (let next = this.unlistened(listened); next; next = this.unlistened(listened)) {
        await client.query(`LISTEN ${quoteIdent(next)}`);
        listened.add(next);
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    // After LISTEN: a change committed before it is in what the handlers reload now, one after it is heard.
    for (const handler of this.handlers.values()) handler.onListening?.();
  }

  private unlistened(listened: Set<string>): string | undefined {
    return [...this.handlers.keys()].find((channel) => !listened.has(channel));
  }

  /** The current connection is gone: handlers go deaf, and reconnecting begins (once per lost connection). */
  private lost(client: pg.Client, error: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.log(`listener: connection lost (${error.message}); reconnecting`);
    for (const handler of this.handlers.values()) handler.onDeaf?.();
    this.loop = this.reconnect();
  }
}
