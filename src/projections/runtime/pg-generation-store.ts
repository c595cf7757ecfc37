import type { Pool, PoolClient } from 'pg';
import type { Catalog } from './catalog';
import type { DeadLetters } from './dead-letters';
import type { Applier, GenerationStore } from './generation-store';
import { PgApplier } from './pg-applier';
import { createIndexesSql, createTableSql, dropTableSql, layoutHash, publishViewSql } from './pg-tables';
import type { PrepareContext } from './prepare';
import type { PgProjection } from './projection';

export interface PgGenerationStoreDeps extends PrepareContext {
  readonly pool: Pool;
  readonly catalog: Catalog;
  readonly deadLetters: DeadLetters;
}

/** Generations of a PostgreSQL read model: tables `rm_<table>_g<N>` behind views `rm_<table>`. */
export class PgGenerationStore implements GenerationStore {
  readonly layoutHash: string;

  constructor(
    private readonly projection: PgProjection,
    private readonly deps: PgGenerationStoreDeps,
  ) {
    this.layoutHash = layoutHash(projection.views.map((v) => v.table));
  }

  private get tables() {
    return this.projection.views.map((v) => v.table);
  }

  async create(db: PoolClient, generation: number, withIndexes: boolean): Promise<void> {
    for (const table of this.tables) {
      await db.query(dropTableSql(table, generation));
      await db.query(createTableSql(table, generation));
    }
    if (withIndexes) await this.createIndexes(db, generation);
  }

  async createIndexes(db: PoolClient, generation: number): Promise<void> {
    for (const table of this.tables) for (const sql of createIndexesSql(table, generation)) await db.query(sql);
  }

  async publish(db: PoolClient, generation: number): Promise<void> {
    for (const table of this.tables) for (const sql of publishViewSql(table, generation)) await db.query(sql);
  }

  afterPublish(): Promise<void> {
    return Promise.resolve();
  }

  async drop(generation: number): Promise<void> {
    for (const table of this.tables) await this.deps.pool.query(dropTableSql(table, generation));
  }

  applier(generation: number, token: number, building: boolean): Applier {
    return new PgApplier({ ...this.deps, projection: this.projection, generation, token, building });
  }
}
