import { createHash } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import type { PoolClient } from 'pg';
import type { Applier, GenerationStore } from '../runtime/generation-store';
import type { EsProjection } from '../runtime/projection';
import { EsApplier, type EsGenerationStoreDeps } from './es-applier';

export type { EsGenerationStoreDeps } from './es-applier';

/** Generations of an Elasticsearch read model: indexes `<alias>_g<N>` behind the alias readers use. */
export class EsGenerationStore implements GenerationStore {
  readonly layoutHash: string;
  readonly client: Client;
  readonly alias: string;

  constructor(
    private readonly projection: EsProjection,
    private readonly deps: EsGenerationStoreDeps,
  ) {
    this.layoutHash = createHash('sha256').update(JSON.stringify(projection.index)).digest('hex').slice(0, 16);
    this.client = new Client({ node: deps.url, requestTimeout: 30_000, maxRetries: 0 });
    this.alias = `${deps.indexPrefix}${projection.index.alias}`;
  }

  indexName(generation: number): string {
    return `${this.alias}_g${generation}`;
  }

  /** Runs in the controller's transaction only for fencing: the index itself is created at once. */
  async create(_db: PoolClient, generation: number): Promise<void> {
    const index = this.indexName(generation);
    await this.client.indices.delete({ index }, { ignore: [404] });
    await this.client.indices.create({ index, settings: this.projection.index.settings, mappings: this.projection.index.mappings });
  }

  createIndexes(): Promise<void> {
    return Promise.resolve();
  }

  publish(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Points the alias at the live generation in one `_aliases` call (readers see the old index or the new),
   * after a refresh: a freshly built index shows nothing to searches until its first refresh.
   */
  async afterPublish(generation: number): Promise<void> {
    const index = this.indexName(generation);
    await this.client.indices.refresh({ index });
    const current = await this.client.indices.getAlias({ name: this.alias }, { ignore: [404] });
    const holders = Object.keys(current).filter((i) => i !== index && i.startsWith(`${this.alias}_g`));
    if (holders.length === 0 && Object.keys(current).includes(index)) return;
    await this.client.indices.updateAliases({
      actions: [...holders.map((i) => ({ remove: { index: i, alias: this.alias } })), { add: { index, alias: this.alias } }],
    });
  }

  close(): Promise<void> {
    return this.client.close();
  }

  async drop(generation: number): Promise<void> {
    await this.client.indices.delete({ index: this.indexName(generation) }, { ignore: [404] });
  }

  applier(generation: number, token: number): Applier {
    return new EsApplier(this.projection, this.deps, this.client, this.indexName(generation), generation, token);
  }
}
