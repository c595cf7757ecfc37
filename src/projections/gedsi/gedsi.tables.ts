import type { ColumnSpec, TableSpec } from '../runtime/projection';
import { ventureFacetsTable } from '../shared/venture-facets';

const metricColumns: readonly ColumnSpec[] = [
  { name: 'tenant', type: 'text' },
  { name: 'value', type: 'double precision' },
  { name: 'unit', type: 'text' },
  { name: 'verified', type: 'boolean' },
  { name: 'updated_at', type: 'timestamptz' },
  { name: 'updated_by', type: 'text' },
  { name: 'verified_at', type: 'timestamptz', nullable: true },
  { name: 'verified_by', type: 'text', nullable: true },
  /** Orders periods by their end, then by length (see `periodOrder`). */
  { name: 'period_order', type: 'integer' },
  { name: 'revision', type: 'integer' },
];

/** Every recorded value: one row per venture, metric and period (the per-period history). */
export const gedsiMetricsTable: TableSpec = {
  name: 'gedsi_metrics',
  columns: [{ name: 'venture_id', type: 'text' }, { name: 'metric_id', type: 'text' }, { name: 'period', type: 'text' }, ...metricColumns],
  primaryKey: ['venture_id', 'metric_id', 'period'],
};

/**
 * The latest period of each metric of each venture: what the venture shows and the dashboard aggregates.
 * `view` is the row as the contract's GEDSIMetric, as JSON text, written with the row: a page of ventures
 * concatenates these instead of building JSON from the columns on every read.
 */
export const gedsiLatestTable: TableSpec = {
  name: 'gedsi_latest',
  columns: [{ name: 'venture_id', type: 'text' }, { name: 'metric_id', type: 'text' }, { name: 'period', type: 'text' }, ...metricColumns, { name: 'view', type: 'text' }],
  primaryKey: ['venture_id', 'metric_id'],
  indexes: [{ suffix: 'tenant', definition: '(tenant, metric_id)' }],
};

export const gedsiVenturesTable: TableSpec = ventureFacetsTable('gedsi_ventures');
