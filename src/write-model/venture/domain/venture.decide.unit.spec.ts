import type { CommandContext } from '../../../shared/decider';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { CreateVenture, UpdateVentureProfile } from './venture.commands';
import { isVentureCommandType, isVentureEventType, streamId, ventureDecider } from './venture.decider';
import type { VentureCreated, VentureStage } from './venture.events';

const context: CommandContext = { now: '2026-05-01T10:00:00.000Z', actor: 'user-1', tenant: 'tenant-a' };
const ventureId = '0b8f2c1e-5d0c-4d6a-9a57-0e1f6a3c2b11';
const given = DeciderSpecification.for(ventureDecider).given;

const create = (data: Partial<CreateVenture['data']> = {}): CreateVenture => ({
  type: 'CreateVenture',
  data: { ventureId, name: 'Solar Sisters', sector: 'Energy', country: 'KE', stage: 'SEED', description: 'Off-grid solar', ...data },
  context,
});

const update = (data: Omit<UpdateVentureProfile['data'], 'ventureId'>): UpdateVentureProfile => ({
  type: 'UpdateVentureProfile',
  data: { ventureId, ...data },
  context,
});

const created: VentureCreated = {
  type: 'VentureCreated',
  data: { ventureId, name: 'Solar Sisters', sector: 'Energy', country: 'KE', stage: 'SEED', description: 'Off-grid solar' },
};

const notAStage: string = 'UNICORN';

describe('CreateVenture', () => {
  it('creates a venture', () => {
    given([]).when(create()).then([created]);
  });

  it('trims the name and the sector', () => {
    given([]).when(create({ name: '  Solar Sisters ', sector: ' Energy\t' })).then([created]);
  });

  it('records a missing description as null', () => {
    given([])
      .when(create({ description: undefined }))
      .then([{ ...created, data: { ...created.data, description: null } }]);
  });

  it('refuses to create a venture that already exists', () => {
    given([created]).when(create()).thenThrows('CONFLICT', undefined, 'venture already exists');
  });

  it('accepts a name of exactly 200 characters', () => {
    const name = 'n'.repeat(200);
    given([]).when(create({ name })).then([{ ...created, data: { ...created.data, name } }]);
  });

  it('refuses a name of 201 characters', () => {
    given([]).when(create({ name: 'n'.repeat(201) })).thenThrows('BAD_USER_INPUT', 'name', 'name must be 1-200 characters after trimming, got 201');
  });

  it('counts characters, not UTF-16 units, so 200 emoji are a valid name', () => {
    const name = '🌞'.repeat(200);
    given([]).when(create({ name })).then([{ ...created, data: { ...created.data, name } }]);
  });

  it('refuses a name that is only spaces', () => {
    given([]).when(create({ name: '   ' })).thenThrows('BAD_USER_INPUT', 'name', /got 0/);
  });

  it('accepts a sector of exactly 100 characters and refuses 101', () => {
    const sector = 's'.repeat(100);
    given([]).when(create({ sector })).then([{ ...created, data: { ...created.data, sector } }]);
    given([]).when(create({ sector: 's'.repeat(101) })).thenThrows('BAD_USER_INPUT', 'sector', /1-100/);
  });

  it('refuses an empty sector', () => {
    given([]).when(create({ sector: '' })).thenThrows('BAD_USER_INPUT', 'sector');
  });

  it.each(['ke', 'KEN', 'XX', ''])('refuses the country %p', (country) => {
    given([]).when(create({ country })).thenThrows('BAD_USER_INPUT', 'country');
  });

  it('refuses a stage outside the enum', () => {
    given([])
      .when(create({ stage: notAStage as VentureStage }))
      .thenThrows('BAD_USER_INPUT', 'stage', /IDEA, PRE_SEED, SEED, SERIES_A, GROWTH/);
  });

  it('accepts a description of exactly 5000 characters and refuses 5001', () => {
    const description = 'd'.repeat(5000);
    given([]).when(create({ description })).then([{ ...created, data: { ...created.data, description } }]);
    given([]).when(create({ description: 'd'.repeat(5001) })).thenThrows('BAD_USER_INPUT', 'description', /at most 5000/);
  });
});

describe('UpdateVentureProfile', () => {
  it('refuses to update a venture that does not exist', () => {
    given([]).when(update({ name: 'New name' })).thenThrows('NOT_FOUND');
  });

  it('records only the fields that changed', () => {
    given([created])
      .when(update({ name: 'Solar Sisters Kenya', sector: 'Energy', country: 'UG' }))
      .then([{ type: 'VentureProfileUpdated', data: { ventureId, changes: { name: 'Solar Sisters Kenya', country: 'UG' } } }]);
  });

  it('emits a stage change on its own', () => {
    given([created])
      .when(update({ stage: 'SERIES_A' }))
      .then([{ type: 'VentureStageChanged', data: { ventureId, from: 'SEED', to: 'SERIES_A' } }]);
  });

  it('emits both a profile update and a stage change when both changed', () => {
    given([created])
      .when(update({ sector: 'Clean energy', stage: 'GROWTH' }))
      .then([
        { type: 'VentureProfileUpdated', data: { ventureId, changes: { sector: 'Clean energy' } } },
        { type: 'VentureStageChanged', data: { ventureId, from: 'SEED', to: 'GROWTH' } },
      ]);
  });

  it('emits nothing when nothing changed', () => {
    given([created])
      .when(update({ name: '  Solar Sisters ', sector: 'Energy', country: 'KE', stage: 'SEED', description: 'Off-grid solar' }))
      .thenNothing();
  });

  it('emits nothing for an empty update', () => {
    given([created]).when(update({})).thenNothing();
  });

  it('clears the description with null', () => {
    given([created])
      .when(update({ description: null }))
      .then([{ type: 'VentureProfileUpdated', data: { ventureId, changes: { description: null } } }]);
  });

  it('compares with the profile as updated by earlier events', () => {
    given([
      created,
      { type: 'VentureProfileUpdated', data: { ventureId, changes: { name: 'Renamed' } } },
      { type: 'VentureStageChanged', data: { ventureId, from: 'SEED', to: 'GROWTH' } },
    ])
      .when(update({ name: 'Renamed', stage: 'GROWTH', country: 'TZ' }))
      .then([{ type: 'VentureProfileUpdated', data: { ventureId, changes: { country: 'TZ' } } }]);
  });

  it('accepts a new name of exactly 200 characters and refuses 201', () => {
    const name = 'n'.repeat(200);
    given([created]).when(update({ name })).then([{ type: 'VentureProfileUpdated', data: { ventureId, changes: { name } } }]);
    given([created]).when(update({ name: 'n'.repeat(201) })).thenThrows('BAD_USER_INPUT', 'name');
  });

  it('refuses an invalid field even when another field is valid', () => {
    given([created]).when(update({ name: 'Fine', sector: '' })).thenThrows('BAD_USER_INPUT', 'sector');
  });

  it('refuses an invalid country', () => {
    given([created]).when(update({ country: 'kenya' })).thenThrows('BAD_USER_INPUT', 'country');
  });

  it('refuses a stage outside the enum', () => {
    given([created]).when(update({ stage: notAStage as VentureStage })).thenThrows('BAD_USER_INPUT', 'stage');
  });

  it('refuses a description longer than 5000 characters', () => {
    given([created]).when(update({ description: 'd'.repeat(5001) })).thenThrows('BAD_USER_INPUT', 'description');
  });
});

describe('venture decider exports', () => {
  it('names streams venture-<id>', () => {
    expect(streamId(ventureId)).toBe(`venture-${ventureId}`);
  });

  it('recognises its own event and command types only', () => {
    expect(isVentureEventType('VentureStageChanged')).toBe(true);
    expect(isVentureEventType('CapitalRequested')).toBe(false);
    expect(isVentureCommandType('CreateVenture')).toBe(true);
    expect(isVentureCommandType('VentureCreated')).toBe(false);
  });
});
