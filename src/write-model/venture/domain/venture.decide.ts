import { badInput, conflict, notFound } from '../../../shared/decider';
import { assertCountry } from '../../../shared/iso';
import type { CreateVenture, UpdateVentureProfile, VentureCommand } from './venture.commands';
import {
  ventureStages,
  type VentureCreated,
  type VentureEvent,
  type VentureProfileChanges,
  type VentureProfileUpdated,
  type VentureStage,
  type VentureStageChanged,
} from './venture.events';
import type { VentureState } from './venture.state';

export const NAME_MAX = 200;
export const SECTOR_MAX = 100;
export const DESCRIPTION_MAX = 5000;

/** Lengths count code points, as JSON Schema `maxLength` does, so the schema and the decider agree. */
const length = (text: string): number => Array.from(text).length;

const trimmedText = (value: string, field: string, max: number): string => {
  const text = typeof value === 'string' ? value.trim() : '';
  const size = length(text);
  if (size < 1 || size > max) {
    throw badInput(field, `${field} must be 1-${max} characters after trimming, got ${size}`);
  }
  return text;
};

const description = (value: string | null): string | null => {
  if (value === null) return null;
  if (typeof value !== 'string') throw badInput('description', 'description must be a string or null');
  const size = length(value);
  if (size > DESCRIPTION_MAX) {
    throw badInput('description', `description must be at most ${DESCRIPTION_MAX} characters, got ${size}`);
  }
  return value;
};

const stage = (value: VentureStage): VentureStage => {
  if (!ventureStages.includes(value)) {
    throw badInput('stage', `stage must be one of ${ventureStages.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
};

const country = (value: string): string => {
  assertCountry(value);
  return value;
};

export const createVenture = (command: CreateVenture, state: VentureState): VentureCreated[] => {
  if (state.status === 'CREATED') throw conflict('venture already exists');
  const { data } = command;
  return [
    {
      type: 'VentureCreated',
      data: {
        ventureId: data.ventureId,
        name: trimmedText(data.name, 'name', NAME_MAX),
        sector: trimmedText(data.sector, 'sector', SECTOR_MAX),
        country: country(data.country),
        stage: stage(data.stage),
        description: description(data.description ?? null),
      },
    },
  ];
};

type Changes = { -readonly [K in keyof VentureProfileChanges]: VentureProfileChanges[K] };

export const updateVentureProfile = (
  command: UpdateVentureProfile,
  state: VentureState,
): (VentureProfileUpdated | VentureStageChanged)[] => {
  const { data } = command;
  if (state.status !== 'CREATED') throw notFound(`venture ${data.ventureId} not found`);
  const current = state.profile;

  const proposed: Changes = {};
  if (data.name !== undefined) proposed.name = trimmedText(data.name, 'name', NAME_MAX);
  if (data.sector !== undefined) proposed.sector = trimmedText(data.sector, 'sector', SECTOR_MAX);
  if (data.country !== undefined) proposed.country = country(data.country);
  if (data.description !== undefined) proposed.description = description(data.description);
  const nextStage = data.stage === undefined ? current.stage : stage(data.stage);

  const changes: Changes = {};
  if (proposed.name !== undefined && proposed.name !== current.name) changes.name = proposed.name;
  if (proposed.sector !== undefined && proposed.sector !== current.sector) changes.sector = proposed.sector;
  if (proposed.country !== undefined && proposed.country !== current.country) changes.country = proposed.country;
  if (proposed.description !== undefined && proposed.description !== current.description) {
    changes.description = proposed.description;
  }

  const events: (VentureProfileUpdated | VentureStageChanged)[] = [];
  if (Object.keys(changes).length > 0) {
    events.push({ type: 'VentureProfileUpdated', data: { ventureId: current.ventureId, changes } });
  }
  if (nextStage !== current.stage) {
    events.push({ type: 'VentureStageChanged', data: { ventureId: current.ventureId, from: current.stage, to: nextStage } });
  }
  return events;
};

export const decide = (command: VentureCommand, state: VentureState): VentureEvent[] => {
  switch (command.type) {
    case 'CreateVenture':
      return createVenture(command, state);
    case 'UpdateVentureProfile':
      return updateVentureProfile(command, state);
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown venture command ${JSON.stringify(_exhaustive)}`);
    }
  }
};
