import { schemaRegistry } from '../shared/schemas/schema-registry';
import { auditProjection } from './audit/audit.projection';
import { capitalProjection } from './capital/capital.projection';
import { gedsiProjection } from './gedsi/gedsi.projection';
import type { PgProjection } from './runtime/projection';
import { venturesProjection } from './ventures/ventures.projection';

/** Every PostgreSQL read model (the Elasticsearch venture index joins them when ELASTICSEARCH_URL is set). */
export function pgProjections(): PgProjection[] {
  return [venturesProjection, gedsiProjection, capitalProjection, auditProjection(schemaRegistry().eventTypes())];
}

export const PG_PROJECTION_NAMES = ['ventures', 'gedsi', 'capital', 'audit'] as const;
export const ES_PROJECTION_NAMES = ['venture_search'] as const;

/** The projections a deployment runs: the PostgreSQL ones, plus the venture index when Elasticsearch is configured. */
export function configuredProjectionNames(elasticsearchUrl?: string): string[] {
  return [...PG_PROJECTION_NAMES, ...(elasticsearchUrl ? ES_PROJECTION_NAMES : [])];
}
