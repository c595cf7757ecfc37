/** A read model's output columns: the name a row carries and the SQL expression that computes it. */
export type Columns = readonly (readonly [name: string, sql: string])[];

/** `expr AS name, ...` for a SELECT list. */
export const selectList = (columns: Columns): string => columns.map(([name, sql]) => `${sql} AS ${name}`).join(', ');

/** The values of comma-joined JSON texts (SQL `string_agg(view, ',')` of the `view` columns; NULL: none). */
export const parseJoined = <T>(joined: string | null | undefined): T[] => (joined === null || joined === undefined ? [] : (JSON.parse(`[${joined}]`) as T[]));
