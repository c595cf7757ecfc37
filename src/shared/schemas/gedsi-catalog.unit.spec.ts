import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPITAL_INSTRUMENTS, findMetric, loadMetricCatalog, metricCatalog } from '../gedsi-catalog';
import { createSchemaAjv, findSchemasDir, readJsonFile } from './schemas-dir';

const schemasDir = findSchemasDir();

/** A copy of `schemas/` whose catalog is `edit(catalog)`, for the loader's refusals. */
function withCatalog(edit: (catalog: { metrics: Record<string, unknown>[] }) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'gedsi-catalog-'));
  cpSync(schemasDir, dir, { recursive: true });
  const catalog = JSON.parse(readFileSync(join(dir, 'gedsi-metric-catalog.json'), 'utf8')) as { metrics: Record<string, unknown>[] };
  edit(catalog);
  writeFileSync(join(dir, 'gedsi-metric-catalog.json'), JSON.stringify(catalog));
  return dir;
}

describe('GEDSI metric catalog', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const broken = (edit: (catalog: { metrics: Record<string, unknown>[] }) => void): (() => unknown) => {
    const dir = withCatalog(edit);
    dirs.push(dir);
    return () => loadMetricCatalog(dir);
  };

  it('validates against its schema and holds at least 12 metrics with unique ids', () => {
    const validate = createSchemaAjv(schemasDir).compile(readJsonFile(join(schemasDir, 'gedsi-metric-catalog.schema.json')) as object);
    expect(validate(readJsonFile(join(schemasDir, 'gedsi-metric-catalog.json')))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    const metrics = metricCatalog();
    expect(metrics.length).toBeGreaterThanOrEqual(12);
    expect(new Set(metrics.map((metric) => metric.metricId)).size).toBe(metrics.length);
  });

  it('cites a public source and keeps values within sane bounds for every metric', () => {
    for (const metric of metricCatalog()) {
      expect(metric.source.length).toBeGreaterThan(10);
      if (metric.unit === 'flag') expect([metric.min, metric.max]).toEqual([0, 1]);
      if (metric.unit === 'percent') expect(metric.max).toBe(100);
      if (metric.unit === 'count') expect(metric.min).toBe(0);
    }
  });

  it('covers the 2X Criteria, the Washington Group disability measure and safeguarding', () => {
    expect(findMetric('women_ownership_pct')?.source).toMatch(/2X Criteria/);
    expect(findMetric('women_senior_leadership_pct')?.source).toMatch(/2X Criteria/);
    expect(findMetric('employees_with_disabilities_pct')?.source).toMatch(/Washington Group/);
    expect(findMetric('safeguarding_policy')).toMatchObject({ unit: 'flag', min: 0, max: 1 });
  });

  it("requires women's ownership and leadership for equity and convertible instruments", () => {
    for (const metricId of ['women_ownership_pct', 'women_senior_leadership_pct']) {
      expect(findMetric(metricId)?.requiredFor).toEqual(expect.arrayContaining(['EQUITY', 'CONVERTIBLE']));
    }
  });

  it('finds a metric by id and nothing for an unknown id', () => {
    expect(findMetric('gender_pay_gap_pct')).toMatchObject({ unit: 'percent', min: -100, max: 100 });
    expect(findMetric('lowest_wage_to_living_wage_ratio')).toMatchObject({ unit: 'ratio', min: 0, max: null });
    expect(findMetric('no_such_metric')).toBeUndefined();
  });

  it('is frozen: callers cannot change the shared catalog', () => {
    const metric = metricCatalog()[0];
    expect(Object.isFrozen(metricCatalog())).toBe(true);
    expect(metric !== undefined && Object.isFrozen(metric) && Object.isFrozen(metric.requiredFor)).toBe(true);
  });

  it('lists the same capital instruments as the common schema', () => {
    const common = readJsonFile(join(schemasDir, 'common.schema.json')) as { $defs: { instrument: { enum: unknown } } };
    expect(common.$defs.instrument.enum).toEqual([...CAPITAL_INSTRUMENTS]);
  });

  it('refuses a catalog with a duplicate id', () => {
    const load = broken((catalog) => catalog.metrics.push({ ...catalog.metrics[0] }));
    expect(load).toThrow(/duplicates women_ownership_pct/);
  });

  it('refuses a catalog with min above max, a flag not 0..1 or an unknown instrument', () => {
    expect(broken((catalog) => Object.assign(catalog.metrics[0] ?? {}, { min: 80, max: 20 }))).toThrow(/\/metrics\/0 has min > max/);
    expect(broken((catalog) => Object.assign(catalog.metrics[0] ?? {}, { unit: 'flag' }))).toThrow(/\/metrics\/0\/max must be equal to constant/);
    expect(broken((catalog) => Object.assign(catalog.metrics[0] ?? {}, { requiredFor: ['LOAN'] }))).toThrow(
      /\/metrics\/0\/requiredFor\/0 must be one of GRANT/,
    );
  });

  it('refuses a metric with a missing or unknown field', () => {
    const load = broken((catalog) => {
      const { source: _source, ...rest } = catalog.metrics[1] ?? {};
      catalog.metrics[1] = { ...rest, weight: 2 };
    });
    expect(load).toThrow('invalid GEDSI metric catalog: /metrics/1/source is required; /metrics/1/weight is not an allowed property');
  });
});
