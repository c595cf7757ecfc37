import type { Pool } from 'pg';

/**
 * Runs `work` while recording the SQL text of every statement sent through `pool.query` (prepared ones by
 * their text), and restores the pool afterwards.
 */
export async function recordingStatements<T>(pool: Pool, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const original = pool.query.bind(pool);
  const counting = (...args: Parameters<typeof pool.query>) => {
    const [statement] = args;
    statements.push(typeof statement === 'string' ? statement : String((statement as { text?: unknown }).text));
    return original(...args);
  };
  pool.query = counting as typeof pool.query;
  try {
    return { result: await work(), statements };
  } finally {
    pool.query = original;
  }
}
