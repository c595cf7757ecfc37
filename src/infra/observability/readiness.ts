/** One dependency a role needs (PostgreSQL, Kafka, Elasticsearch, Redis, ...), checked on GET /ready. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface ReadinessReport {
  readonly status: 'ready' | 'not_ready';
  readonly role: string;
  readonly checks: readonly { name: string; ok: boolean; ms: number; error?: string }[];
}

const CHECK_TIMEOUT_MS = 2000;

/** Runs every check in parallel, each bounded in time; ready only when all pass. Errors are reported by message. */
export async function checkReadiness(role: string, checks: readonly ReadinessCheck[]): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (c) => {
      const started = Date.now();
      try {
        await withTimeout(c.check(), CHECK_TIMEOUT_MS, c.name);
        return { name: c.name, ok: true, ms: Date.now() - started };
      } catch (error) {
        return { name: c.name, ok: false, ms: Date.now() - started, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  return { status: results.every((r) => r.ok) ? 'ready' : 'not_ready', role, checks: results };
}

function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
