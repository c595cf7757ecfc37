import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { findPostgresBinaries } from './pg-cluster/binaries';
import { clusterPaths, isInitialised, prepareForInit, readPassword, SUPERUSER, withPasswordFile } from './pg-cluster/cluster-dir';
import { postgresRunAs } from './pg-cluster/os-user';
import { runInitdb, spawnServer, stopServer, type PgLogger, type ServerProcess } from './pg-cluster/processes';
import { inspectPidFile, removePidFile } from './pg-cluster/stale-pid';

export type { PgLogger } from './pg-cluster/processes';

export interface EmbeddedPostgresOptions {
  /** Everything lives here and survives restarts: `cluster/` (the data directory) and `password`. */
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The application database, created when missing (default `gedsi`). */
  readonly database?: string;
  readonly logger?: PgLogger;
  /** The unprivileged OS user the server runs as when this process is root (default `postgres`). */
  readonly osUser?: string;
  readonly startTimeoutMs?: number;
}

export interface EmbeddedPostgresHandle {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/<database>`: carries the password, do not log it. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

const quiet: PgLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A PostgreSQL server of our own for `npm start` without DATABASE_URL, and for tests without a server. It
 * listens on 127.0.0.1 only (no Unix socket, so it never collides with a system server), runs as an
 * unprivileged user when we are root, removes a `postmaster.pid` left by a dead process, and is stopped when
 * this process exits normally.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const logger = options.logger ?? quiet;
  const database = options.database ?? 'gedsi';
  const paths = clusterPaths(resolve(options.dataDir));
  const binaries = findPostgresBinaries();
  const runAs = await postgresRunAs(options.osUser ?? 'postgres');

  let password: string;
  if (isInitialised(paths)) {
    password = readPassword(paths);
  } else {
    logger.info({ clusterDir: paths.clusterDir }, 'embedded PostgreSQL: initialising a new cluster');
    password = prepareForInit(paths, runAs);
    await withPasswordFile(password, runAs, (pwfile) =>
      runInitdb(
        binaries.initdb,
        [`--pgdata=${paths.clusterDir}`, `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-locale'],
        runAs,
        logger,
      ),
    );
  }

  const pidFile = inspectPidFile(paths.clusterDir);
  if (pidFile.kind === 'running') {
    throw new Error(
      `embedded PostgreSQL: a server (pid ${pidFile.pid}) is already running on ${paths.clusterDir}; stop it or use another data directory`,
    );
  }
  if (pidFile.kind === 'stale') {
    logger.warn({ pid: pidFile.pid }, 'embedded PostgreSQL: removing the postmaster.pid of a process that is gone (crash recovery)');
    removePidFile(paths.clusterDir);
  }

  const { server, port } = await startServer(binaries.postgres, paths.clusterDir, options.port, runAs, logger, password, options.startTimeoutMs ?? 60_000);
  const stopOnExit = (): void => {
    server.child.kill('SIGINT');
  };
  process.once('exit', stopOnExit);
  try {
    await ensureDatabase(port, password, database);
  } catch (error: unknown) {
    await stopServer(server);
    throw error;
  }
  logger.info({ port, database, dataDir: paths.dataDir }, 'embedded PostgreSQL: ready');

  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    port,
    stop() {
      stopping ??= stopServer(server).then(() => {
        process.removeListener('exit', stopOnExit);
        logger.info({ port }, 'embedded PostgreSQL: stopped');
      });
      return stopping;
    },
  };
}

async function startServer(
  binary: string,
  clusterDir: string,
  requestedPort: number,
  runAs: { uid?: number; gid?: number },
  logger: PgLogger,
  password: string,
  timeoutMs: number,
): Promise<{ server: ServerProcess; port: number }> {
  // A free port can be taken between our probe and the server's bind: try a few when we chose it.
  const attempts = requestedPort === 0 ? 3 : 1;
  for (let attempt = 1; ; attempt += 1) {
    const port = requestedPort === 0 ? await freePort() : requestedPort;
    const args = ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
    const server = spawnServer(binary, args, runAs, logger);
    const ready = await waitUntilReady(server, clusterDir, port, password, timeoutMs);
    if (ready === 'ready') return { server, port };
    await stopServer(server);
    const bindFailed = /could not (bind|create listen socket)/i.test(server.output());
    if (!bindFailed || attempt >= attempts) {
      throw new Error(`embedded PostgreSQL did not start on port ${port} (${ready}):\n${server.output()}`);
    }
  }
}

/** Ready when our server answers: another server on the same port (a system one, say) does not count. */
async function waitUntilReady(server: ServerProcess, clusterDir: string, port: number, password: string, timeoutMs: number): Promise<string> {
  let exited = false;
  void server.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) return 'the server exited';
    const client = new Client({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres', connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
      await client.end();
      if (rows[0]?.dir !== clusterDir) return `another server answers on port ${port}`;
      return exited ? 'the server exited' : 'ready';
    } catch (error: unknown) {
      await client.end().catch(() => undefined);
      if (error instanceof Error && 'code' in error && error.code === '28P01') {
        return `password authentication failed on port ${port} (is the password file the cluster was created with?)`;
      }
      await sleep(100);
    }
  }
  return `not ready after ${timeoutMs} ms`;
}

async function ensureDatabase(port: number, password: string, database: string): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolvePort(port) : reject(new Error('no free port found'))));
    });
  });
}
