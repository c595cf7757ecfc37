import type { Queryable } from './queryable';
import type { DocCache } from './doc-cache';
import { DocSet } from './fold';
import { physicalName } from './pg-tables';
import { keyString, type ColumnSpec, type DocumentView, type Key, type Row, type RowValue, type TableSpec } from './projection';

interface TableSql {
  readonly load: string;
  readonly upsert: string;
  readonly remove: string;
}

/** Timestamps and numerics come back exactly as `evolve` writes them (ISO strings, decimal strings). */
function selectExpression(c: ColumnSpec): string {
  switch (c.type) {
    case 'timestamptz':
      return `to_char(t.${c.name} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${c.name}`;
    case 'numeric':
    case 'bigint':
      return `t.${c.name}::text AS ${c.name}`;
    case 'text':
    case 'integer':
    case 'double precision':
    case 'boolean':
      return `t.${c.name}`;
    default: {
      const _exhaustive: never = c.type;
      throw new Error(`unknown column type ${String(_exhaustive)}`);
    }
  }
}

/** The columns of a table as `evolve` sees them (for reading a view back in tests and tools). */
export const selectList = (table: TableSpec): string => table.columns.map(selectExpression).join(', ');

function tableSql(table: TableSpec, generation: number, insertOnly: boolean): TableSql {
  const name = physicalName(table, generation);
  const pk = table.columns.filter((c) => table.primaryKey.includes(c.name));
  const recordOf = (cols: readonly ColumnSpec[]): string => cols.map((c) => `${c.name} ${c.type}`).join(', ');
  const cols = table.columns.map((c) => c.name).join(', ');
  const updates = table.columns.filter((c) => !table.primaryKey.includes(c.name)).map((c) => `${c.name} = EXCLUDED.${c.name}`);
  const conflict = insertOnly || updates.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updates.join(', ')}`;
  const joinOn = pk.map((c) => `t.${c.name} = k.${c.name}`).join(' AND ');
  return {
    load: `SELECT ${selectList(table)} FROM ${name} t JOIN json_to_recordset($1::json) AS k(${recordOf(pk)}) ON ${joinOn}`,
    upsert: `INSERT INTO ${name} (${cols}) SELECT ${cols} FROM json_to_recordset($1::json) AS x(${recordOf(table.columns)})
             ON CONFLICT (${table.primaryKey.join(', ')}) ${conflict}`,
    remove: `DELETE FROM ${name} t USING json_to_recordset($1::json) AS k(${recordOf(pk)}) WHERE ${joinOn}`,
  };
}

/**
 * Reads and writes the documents of one generation of a PostgreSQL read model with set-based SQL: one
 * statement per table to load the documents a batch touches, one to upsert what changed, one to delete.
 */
export class PgDocuments {
  private readonly sql: TableSql[];

  constructor(
    private readonly views: readonly Pick<DocumentView<unknown>, 'table' | 'insertOnly'>[],
    generation: number,
  ) {
    this.sql = views.map((v) => tableSql(v.table, generation, v.insertOnly === true));
  }

  /** Loads the documents of the keys (from the cache when it knows them); absent ones are registered as such. */
  async load(db: Queryable, keys: readonly Key[][], cache?: DocCache): Promise<DocSet> {
    const docs = new DocSet(this.views.length);
    for (const [v, view] of this.views.entries()) {
      const missing: Key[] = [];
      for (const key of keys[v] ?? []) {
        const cached = view.insertOnly ? { hit: true as const, doc: undefined } : (cache?.lookup(v, keyString(key)) ?? { hit: false as const });
        docs.put(v, key, cached.hit ? cached.doc : undefined);
        if (!cached.hit) missing.push(key);
      }
      if (missing.length === 0) continue;
      const pk = view.table.primaryKey;
      const res = await db.query<Record<string, RowValue>>((this.sql[v] as TableSql).load, [JSON.stringify(missing.map((k) => keyRecord(pk, k)))]);
      for (const row of res.rows) docs.put(v, pk.map((c) => row[c] ?? null), row);
    }
    return docs;
  }

  /** After the commit: the cache holds what the tables now hold. */
  remember(docs: DocSet, cache: DocCache): void {
    docs.slots.forEach((slots, v) => {
      if (this.views[v]?.insertOnly) return;
      for (const [key, slot] of slots) cache.set(v, key, slot.after);
    });
  }

  /** Writes the changed documents; returns how many rows were written or deleted. */
  async write(db: Queryable, docs: DocSet): Promise<number> {
    let written = 0;
    for (let v = 0; v < this.views.length; v++) {
      const view = this.views[v] as Pick<DocumentView<unknown>, 'table'>;
      const sql = this.sql[v] as TableSql;
      const changed = docs.changed(v);
      const upserts = changed.map((s) => s.after).filter((row): row is Row => row !== undefined);
      const deletes = changed.filter((s) => s.after === undefined).map((s) => keyRecord(view.table.primaryKey, s.key));
      if (upserts.length > 0) written += (await db.query(sql.upsert, [JSON.stringify(upserts)])).rowCount ?? 0;
      if (deletes.length > 0) written += (await db.query(sql.remove, [JSON.stringify(deletes)])).rowCount ?? 0;
    }
    return written;
  }
}

function keyRecord(columns: readonly string[], key: Key): Record<string, RowValue> {
  const record: Record<string, RowValue> = {};
  columns.forEach((c, i) => (record[c] = key[i] ?? null));
  return record;
}
