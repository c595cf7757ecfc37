import type { QueryResult, QueryResultRow } from 'pg';

/** A named statement: PostgreSQL parses and plans it once per connection (see `shared/prepared.ts`). */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
  readonly values: unknown[];
}

/** A pool or a client inside a transaction: what a repository needs to run a statement. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
  query<R extends QueryResultRow = QueryResultRow>(statement: NamedStatement): Promise<QueryResult<R>>;
}
