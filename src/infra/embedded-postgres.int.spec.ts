import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded-postgres';

jest.setTimeout(180_000);

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows }: { rows: unknown[] } = await client.query(sql);
    return rows;
  } finally {
    await client.end();
  }
}

/** A PID that belonged to a process which has exited since. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('startEmbeddedPostgres', () => {
  let dir: string;
  let handle: EmbeddedPostgresHandle | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'embedded-pg-'));
  });
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('initialises a cluster, serves the application database, and restarts over a stale postmaster.pid', async () => {
    handle = await startEmbeddedPostgres({ dataDir: dir, port: 0, database: 'app' });
    expect(handle.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/app$/);
    await query(handle.url, 'CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)');

    const pidFile = join(dir, 'cluster', 'postmaster.pid');
    const saved = join(dir, 'postmaster.pid.copy');
    copyFileSync(pidFile, saved);
    await handle.stop();
    expect(existsSync(pidFile)).toBe(false);

    // A crash leaves the file behind, with the PID of a process that no longer exists.
    const lines = readFileSync(saved, 'utf8').split('\n');
    lines[0] = String(deadPid());
    writeFileSync(pidFile, lines.join('\n'));

    handle = await startEmbeddedPostgres({ dataDir: dir, port: 0, database: 'app' });
    expect(await query(handle.url, 'SELECT id FROM kept')).toEqual([{ id: 42 }]);
  });

  it('creates a missing application database on an existing cluster', async () => {
    handle = await startEmbeddedPostgres({ dataDir: dir, port: 0, database: 'first' });
    await handle.stop();
    handle = await startEmbeddedPostgres({ dataDir: dir, port: 0, database: 'second' });
    expect(await query(handle.url, 'SELECT current_database() AS db')).toEqual([{ db: 'second' }]);
  });

  it('refuses a data directory whose server is still running', async () => {
    handle = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
    await expect(startEmbeddedPostgres({ dataDir: dir, port: 0 })).rejects.toThrow(/already running/);
  });

  it('logs through the given logger', async () => {
    const lines: string[] = [];
    const record = (_obj: object, msg?: string): void => void lines.push(msg ?? '');
    handle = await startEmbeddedPostgres({ dataDir: dir, port: 0, logger: { debug: record, info: record, warn: record, error: record } });
    expect(lines).toEqual(expect.arrayContaining(['embedded PostgreSQL: initialising a new cluster', 'embedded PostgreSQL: ready']));
  });
});
