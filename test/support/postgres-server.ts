import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/infra/embedded-postgres';

let handle: EmbeddedPostgresHandle | undefined;
let dir: string | undefined;

export async function startTestPostgres(): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'pg-test-'));
  handle = await startEmbeddedPostgres({ dataDir: dir, port: 0 });
  return handle.url;
}

export async function stopTestPostgres(): Promise<void> {
  await handle?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
