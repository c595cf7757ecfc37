import type { Decider } from '../../../shared/decider';
import type { GEDSICommand } from './gedsi.commands';
import { decide } from './gedsi.decide';
import type { GEDSIEvent } from './gedsi.events';
import { evolve, initialState, type GEDSIState } from './gedsi.state';

export const gedsiDecider: Decider<GEDSIState, GEDSICommand, GEDSIEvent> = { initialState, evolve, decide };

export const streamId = (ventureId: string): string => `gedsi-${ventureId}`;

export const gedsiEventTypes = ['GEDSIMetricUpdated', 'GEDSIMetricVerified'] as const satisfies readonly GEDSIEvent['type'][];
export const gedsiCommandTypes = ['RecordGEDSIMetric', 'VerifyGEDSIMetric'] as const satisfies readonly GEDSICommand['type'][];
export type GEDSIEventType = (typeof gedsiEventTypes)[number];
export type GEDSICommandType = (typeof gedsiCommandTypes)[number];

/** Fails to compile when an event or command type is added to its union but not to the list above. */
const _typeListsComplete: [Exclude<GEDSIEvent['type'], GEDSIEventType>, Exclude<GEDSICommand['type'], GEDSICommandType>] extends [never, never]
  ? true
  : never = true;

export const isGEDSIEventType = (type: string): type is GEDSIEventType => (gedsiEventTypes as readonly string[]).includes(type);
export const isGEDSICommandType = (type: string): type is GEDSICommandType => (gedsiCommandTypes as readonly string[]).includes(type);
