import { join } from 'node:path';
import { formatIssues, issuesFromAjv } from './schemas/schema-validation-error';
import { createSchemaAjv, findSchemasDir, readJsonFile } from './schemas/schemas-dir';

/** The capital instruments, as in `schemas/common.schema.json#/$defs/instrument` (a test keeps them equal). */
export const CAPITAL_INSTRUMENTS = ['GRANT', 'EQUITY', 'DEBT', 'CONVERTIBLE', 'GUARANTEE'] as const;
export type CapitalInstrument = (typeof CAPITAL_INSTRUMENTS)[number];

export type MetricUnit = 'percent' | 'count' | 'flag' | 'ratio';

/** One GEDSI metric a venture can record (`schemas/gedsi-metric-catalog.json`). */
export interface MetricDefinition {
  readonly metricId: string;
  readonly name: string;
  readonly description: string;
  readonly unit: MetricUnit;
  /** Inclusive bounds of a value; null when unbounded on that side. */
  readonly min: number | null;
  readonly max: number | null;
  /** The public framework the metric follows. */
  readonly source: string;
  /** Capital instruments whose readiness check needs a value of this metric. */
  readonly requiredFor: readonly CapitalInstrument[];
}

interface LoadedCatalog {
  readonly metrics: readonly MetricDefinition[];
  readonly byId: ReadonlyMap<string, MetricDefinition>;
}

let loaded: LoadedCatalog | undefined;

/** Reads and validates a catalog file; throws on any schema violation, duplicate id or min > max. */
export function loadMetricCatalog(schemasDir: string = findSchemasDir()): readonly MetricDefinition[] {
  const validate = createSchemaAjv(schemasDir).compile<{ metrics: MetricDefinition[] }>(
    readJsonFile(join(schemasDir, 'gedsi-metric-catalog.schema.json')) as object,
  );
  const file: unknown = readJsonFile(join(schemasDir, 'gedsi-metric-catalog.json'));
  const fail = (path: string, message: string): never => {
    throw new Error(`invalid GEDSI metric catalog: ${path} ${message}`);
  };
  if (!validate(file)) {
    throw new Error(`invalid GEDSI metric catalog: ${formatIssues(issuesFromAjv(validate.errors))}`);
  }
  const seen = new Set<string>();
  file.metrics.forEach((metric, index) => {
    if (seen.has(metric.metricId)) fail(`/metrics/${index}/metricId`, `duplicates ${metric.metricId}`);
    seen.add(metric.metricId);
    if (metric.min !== null && metric.max !== null && metric.min > metric.max) fail(`/metrics/${index}`, 'has min > max');
  });
  return Object.freeze(file.metrics.map((metric) => Object.freeze({ ...metric, requiredFor: Object.freeze([...metric.requiredFor]) })));
}

function catalog(): LoadedCatalog {
  if (loaded === undefined) {
    const metrics = loadMetricCatalog();
    loaded = { metrics, byId: new Map(metrics.map((metric) => [metric.metricId, metric])) };
  }
  return loaded;
}

/** Every metric of the catalog, in catalog order (loaded and validated once per process). */
export const metricCatalog = (): readonly MetricDefinition[] => catalog().metrics;

export const findMetric = (metricId: string): MetricDefinition | undefined => catalog().byId.get(metricId);
