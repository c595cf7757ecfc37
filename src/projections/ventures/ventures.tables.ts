import type { TableSpec } from '../runtime/projection';

/** One row per venture; `revision` is the venture stream's revision (the contract's `Venture.version`). */
export const venturesTable: TableSpec = {
  name: 'ventures',
  columns: [
    { name: 'id', type: 'text' },
    { name: 'tenant', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'sector', type: 'text' },
    { name: 'country', type: 'text' },
    { name: 'stage', type: 'text' },
    { name: 'description', type: 'text', nullable: true },
    { name: 'created_at', type: 'timestamptz' },
    { name: 'updated_at', type: 'timestamptz' },
    { name: 'revision', type: 'integer' },
  ],
  primaryKey: ['id'],
  // PostgreSQL full-text search, the fallback when no Elasticsearch is configured ('simple': no stemming, so
  // prefixes of any language match).
  generatedColumns: [
    `search tsvector GENERATED ALWAYS AS (
       setweight(to_tsvector('simple'::regconfig, name), 'A') ||
       setweight(to_tsvector('simple'::regconfig, sector || ' ' || country || ' ' || stage), 'B') ||
       setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'C')) STORED`,
  ],
  indexes: [
    { suffix: 'page', definition: '(tenant, created_at, id)' },
    { suffix: 'sector', definition: '(tenant, sector, created_at, id)' },
    { suffix: 'country', definition: '(tenant, country, created_at, id)' },
    { suffix: 'stage', definition: '(tenant, stage, created_at, id)' },
    { suffix: 'search', definition: 'USING gin (search)' },
  ],
};
