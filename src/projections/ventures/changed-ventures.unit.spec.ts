import { envelope } from '../testing/envelopes';
import { changedVentures, ventureChangeHook } from './changed-ventures';

const at = (ventureId: string, revision: number, tenant = 'acme') => ({ streamId: `venture-${ventureId}`, revision, tenant });
const created = (ventureId: string, tenant = 'acme') =>
  envelope('VentureCreated', { ventureId, name: ventureId, sector: 'energy', country: 'KE', stage: 'SEED', description: null }, at(ventureId, 0, tenant));
const renamed = (ventureId: string, revision: number) => envelope('VentureProfileUpdated', { ventureId, changes: { name: `${ventureId}!` } }, at(ventureId, revision));
const metric = (ventureId: string) =>
  envelope('GEDSIMetricUpdated', { ventureId, metricId: 'women_led', period: '2026-Q1', oldValue: null, newValue: 1, unit: 'bool' }, { streamId: `gedsi-${ventureId}`, revision: 0, tenant: 'acme' });
const capital = (ventureId: string) =>
  envelope('CapitalRequested', { capitalRequestId: 'r-1', ventureId, amount: '10.00', currency: 'USD' }, { streamId: 'capital-request-r-1', revision: 0, tenant: 'acme' });

describe('changedVentures', () => {
  it('names each venture a ventures batch changed once, with its tenant', () => {
    const batch = [created('v-1'), renamed('v-1', 1), created('v-2', 'globex'), renamed('v-1', 2)];
    expect(changedVentures('ventures', batch)).toEqual([
      { tenant: 'acme', ventureId: 'v-1' },
      { tenant: 'globex', ventureId: 'v-2' },
    ]);
  });

  it('keeps the same venture id of two tenants apart', () => {
    expect(changedVentures('ventures', [created('v-1'), created('v-1', 'globex')])).toEqual([
      { tenant: 'acme', ventureId: 'v-1' },
      { tenant: 'globex', ventureId: 'v-1' },
    ]);
  });

  it('counts GEDSI metric events of the gedsi read model, not its copies of venture events', () => {
    expect(changedVentures('gedsi', [created('v-1'), metric('v-2')])).toEqual([{ tenant: 'acme', ventureId: 'v-2' }]);
    expect(changedVentures('ventures', [metric('v-2')])).toEqual([]);
  });

  it('ignores capital events and the read models that do not show on a venture', () => {
    expect(changedVentures('capital', [capital('v-1'), created('v-1')])).toEqual([]);
    expect(changedVentures('audit', [created('v-1')])).toEqual([]);
    expect(changedVentures('venture_search', [created('v-1')])).toEqual([]);
  });
});

describe('ventureChangeHook', () => {
  it('notifies once per changed venture of the batch', () => {
    const told: string[] = [];
    ventureChangeHook({ notify: (tenant, ventureId) => told.push(`${tenant}/${ventureId}`) })('ventures', [created('v-1'), renamed('v-1', 1), created('v-3')]);
    expect(told).toEqual(['acme/v-1', 'acme/v-3']);
  });
});
