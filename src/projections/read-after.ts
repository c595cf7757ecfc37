import { Client, type Pool } from 'pg';

/**
 * Read-your-writes (`X-Read-After`): waits, bounded, until the live generations of the named projections have
 * processed a position of the log. Woken by the NOTIFY each checkpoint sends, with polling as a fallback.
 */
export class ReadAfter {
  private readonly positions = new Map<string, bigint>();
  private readonly waiters = new Set<() => void>();
  private client: Client | undefined;
  private poller: NodeJS.Timeout | undefined;

  private constructor(private readonly pool: Pool) {}

  static async start(pool: Pool, databaseUrl: string, pollMs = 200): Promise<ReadAfter> {
    const readAfter = new ReadAfter(pool);
    const client = new Client({ connectionString: databaseUrl, application_name: 'read-after' });
    client.on('error', () => undefined);
    client.on('notification', (n) => {
      const [name, position] = (n.payload ?? '').split(' ');
      if (name && position && /^[0-9]{1,19}$/.test(position)) readAfter.advance(name, BigInt(position));
    });
    await client.connect();
    await client.query('LISTEN proj_progress');
    readAfter.client = client;
    await readAfter.poll();
    readAfter.poller = setInterval(() => void readAfter.poll().catch(() => undefined), pollMs);
    readAfter.poller.unref();
    return readAfter;
  }

  /** True once every named projection is at or past `position`; false after `timeoutMs`. */
  async waitFor(names: readonly string[], position: string, timeoutMs: number): Promise<boolean> {
    if (!/^[0-9]{1,19}$/.test(position)) throw new Error(`invalid log position ${JSON.stringify(position.slice(0, 40))}`);
    const target = BigInt(position);
    const reached = (): boolean => names.every((n) => (this.positions.get(n) ?? -1n) >= target);
    const deadline = Date.now() + timeoutMs;
    while (!reached()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.waiters.add(done);
      });
    }
    return true;
  }

  async close(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    for (const w of [...this.waiters]) w();
    await this.client?.end().catch(() => undefined);
  }

  private advance(name: string, position: bigint): void {
    if (position <= (this.positions.get(name) ?? -1n)) return;
    this.positions.set(name, position);
    for (const w of [...this.waiters]) w();
  }

  private async poll(): Promise<void> {
    const res = await this.pool.query<{ projection: string; position: string | null }>(
      `SELECT projection, position FROM proj_generations WHERE status = 'live' AND position IS NOT NULL`,
    );
    for (const r of res.rows) if (r.position !== null && /^[0-9]{1,19}$/.test(r.position)) this.advance(r.projection, BigInt(r.position));
  }
}
