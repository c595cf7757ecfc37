/** A read model's output columns: the name a row carries and the SQL expression that computes it. */
export type Columns = readonly (readonly [name: string, sql: string])[];

/** `expr AS name, ...` for a SELECT list. */
export const selectList = (columns: Columns): string => columns.map(([name, sql]) => `${sql} AS ${name}`).join(', ');

/** The named row of an array of values in column order (as `json_build_array` of the columns gives it). */
export function rowOf<R>(values: readonly unknown[], columns: Columns): R {
  const row: Record<string, unknown> = {};
  columns.forEach(([name], i) => (row[name] = values[i]));
  return row as R;
}
