import type { Decider } from '../../../shared/decider';
import type { VentureCommand } from './venture.commands';
import { decide } from './venture.decide';
import type { VentureEvent } from './venture.events';
import { evolve, initialState, type VentureState } from './venture.state';

export const ventureDecider: Decider<VentureState, VentureCommand, VentureEvent> = { initialState, evolve, decide };

export const streamId = (ventureId: string): string => `venture-${ventureId}`;

export const ventureEventTypes = ['VentureCreated', 'VentureProfileUpdated', 'VentureStageChanged'] as const satisfies readonly VentureEvent['type'][];
export const ventureCommandTypes = ['CreateVenture', 'UpdateVentureProfile'] as const satisfies readonly VentureCommand['type'][];
export type VentureEventType = (typeof ventureEventTypes)[number];
export type VentureCommandType = (typeof ventureCommandTypes)[number];

/** Fails to compile when an event or command type is added to its union but not to the list above. */
const _typeListsComplete: [Exclude<VentureEvent['type'], VentureEventType>, Exclude<VentureCommand['type'], VentureCommandType>] extends [never, never]
  ? true
  : never = true;

export const isVentureEventType = (type: string): type is VentureEventType => (ventureEventTypes as readonly string[]).includes(type);
export const isVentureCommandType = (type: string): type is VentureCommandType => (ventureCommandTypes as readonly string[]).includes(type);
