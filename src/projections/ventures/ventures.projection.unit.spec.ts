import { projectInMemory, rowsOf, settle } from '../runtime/fold';
import { envelope } from '../testing/envelopes';
import { venturesProjection } from './ventures.projection';

const id = '0b8f2c1e-5d0c-4d6a-9a57-0e1f6a3c2b11';
const stream = `venture-${id}`;
const created = envelope(
  'VentureCreated',
  { ventureId: id, name: 'Solar Sisters', sector: 'Energy', country: 'KE', stage: 'SEED', description: 'Off-grid solar' },
  { streamId: stream, revision: 0, occurredAt: '2026-05-01T10:00:00.000Z' },
);
const renamed = envelope('VentureProfileUpdated', { ventureId: id, changes: { name: 'Solar Sisters Ltd', description: null } }, { streamId: stream, revision: 1, occurredAt: '2026-05-02T10:00:00.000Z' });
const staged = envelope('VentureStageChanged', { ventureId: id, from: 'SEED', to: 'SERIES_A' }, { streamId: stream, revision: 2, occurredAt: '2026-05-03T10:00:00.000Z' });

const project = (events: Parameters<typeof projectInMemory>[1]) => rowsOf(projectInMemory(venturesProjection.views, events), 0);

describe('ventures projection', () => {
  it('makes one row per venture, with the tenant and the stream revision as version', () => {
    expect(project([created])).toEqual([
      {
        id,
        tenant: 'tenant-a',
        name: 'Solar Sisters',
        sector: 'Energy',
        country: 'KE',
        stage: 'SEED',
        description: 'Off-grid solar',
        created_at: '2026-05-01T10:00:00.000Z',
        updated_at: '2026-05-01T10:00:00.000Z',
        revision: 0,
      },
    ]);
  });

  it('applies only the changed fields of a profile update (null clears the description) and stage changes', () => {
    expect(project([created, renamed, staged])).toEqual([
      expect.objectContaining({ name: 'Solar Sisters Ltd', description: null, stage: 'SERIES_A', sector: 'Energy', revision: 2, updated_at: '2026-05-03T10:00:00.000Z' }),
    ]);
  });

  it('changes nothing when the same events are applied again (a replayed batch)', () => {
    const once = projectInMemory(venturesProjection.views, [created, renamed, staged]);
    const twice = projectInMemory(venturesProjection.views, [created, renamed, staged], settle(once, 1));
    expect(rowsOf(twice, 0)).toEqual(rowsOf(once, 0));
  });

  it('ignores updates of a venture it never saw created', () => {
    expect(project([renamed, staged])).toEqual([]);
  });

  it('refuses an event of another tenant for an existing venture (a poison event)', () => {
    const foreign = envelope('VentureStageChanged', { ventureId: id, from: 'SEED', to: 'GROWTH' }, { streamId: stream, revision: 1, tenant: 'tenant-b' });
    expect(() => project([created, foreign])).toThrow(/tenant/);
  });

  it('handles exactly the venture event types of the write model', () => {
    expect([...venturesProjection.canHandle].sort()).toEqual(['VentureCreated', 'VentureProfileUpdated', 'VentureStageChanged']);
  });
});
