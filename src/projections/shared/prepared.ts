import { createHash } from 'node:crypto';
import type { QueryResult, QueryResultRow } from 'pg';
import type { Queryable } from '../runtime/queryable';

const names = new Map<string, string>();
/** Bumped when PostgreSQL refuses a prepared statement whose view changed shape: every name is then new. */
let generation = 0;

/**
 * Runs a read the API makes for every request as a named prepared statement: PostgreSQL plans it once per pooled
 * connection instead of per call (planning these short reads costs more than running them). The name is a hash
 * of the text, so each shape of a query (one per filter combination) has its own statement. A rebuild swapping a
 * read model's view is fine (PostgreSQL re-plans by name); a view whose columns changed type makes it refuse the
 * old statement, and the read is then prepared afresh under new names.
 */
export async function preparedQuery<R extends QueryResultRow>(db: Queryable, text: string, values: unknown[]): Promise<QueryResult<R>> {
  try {
    return await db.query<R>({ name: statementName(text), text, values });
  } catch (error: unknown) {
    if (!isChangedResultType(error)) throw error;
    generation += 1;
    names.clear();
    return db.query<R>({ name: statementName(text), text, values });
  }
}

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `rm_${generation}_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    // Texts only vary by which filters are set (values are parameters): a handful per query.
    if (names.size < 1000) names.set(text, name);
  }
  return name;
}

const isChangedResultType = (error: unknown): boolean =>
  (error as { code?: unknown }).code === '0A000' && /cached plan must not change result type/.test(String((error as { message?: unknown }).message));
