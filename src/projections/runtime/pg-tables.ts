import { createHash } from 'node:crypto';
import type { ColumnSpec, TableSpec } from './projection';

const IDENTIFIER = /^[a-z][a-z0-9_]{0,40}$/;

function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`invalid read-model identifier ${JSON.stringify(name)}`);
  return name;
}

/** The stable name readers use: a view over the live generation's table. */
export const viewName = (table: TableSpec): string => `rm_${assertIdentifier(table.name)}`;

export const physicalName = (table: TableSpec, generation: number): string => {
  if (!Number.isInteger(generation) || generation < 1) throw new Error(`invalid generation ${generation}`);
  return `${viewName(table)}_g${generation}`;
};

const columnDdl = (c: ColumnSpec): string => `${assertIdentifier(c.name)} ${c.type}${c.nullable ? '' : ' NOT NULL'}`;

export function createTableSql(table: TableSpec, generation: number): string {
  const name = physicalName(table, generation);
  const columns = [...table.columns.map(columnDdl), ...(table.generatedColumns ?? [])];
  return `CREATE TABLE ${name} (${columns.join(', ')}, CONSTRAINT ${name}_pk PRIMARY KEY (${table.primaryKey.join(', ')}))`;
}

export function createIndexesSql(table: TableSpec, generation: number): string[] {
  const name = physicalName(table, generation);
  return (table.indexes ?? []).map((index) => `CREATE INDEX IF NOT EXISTS ${name}_${assertIdentifier(index.suffix)} ON ${name} ${index.definition}`);
}

/** Points the view at a generation; run inside the swap transaction (readers see the old or the new, never neither). */
export function publishViewSql(table: TableSpec, generation: number): string[] {
  return [`DROP VIEW IF EXISTS ${viewName(table)}`, `CREATE VIEW ${viewName(table)} AS SELECT * FROM ${physicalName(table, generation)}`];
}

export const dropTableSql = (table: TableSpec, generation: number): string => `DROP TABLE IF EXISTS ${physicalName(table, generation)}`;

/** Identifies the physical layout of a projection's tables: generations with another layout are not written by this code. */
export function layoutHash(tables: readonly TableSpec[]): string {
  return createHash('sha256').update(JSON.stringify(tables)).digest('hex').slice(0, 16);
}
