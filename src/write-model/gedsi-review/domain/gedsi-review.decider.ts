import type { Decider } from '../../../shared/decider';
import type { GEDSIReviewCommand } from './gedsi-review.commands';
import { decide } from './gedsi-review.decide';
import type { GEDSIReviewEvent } from './gedsi-review.events';
import { evolve, initialState, type GEDSIReviewState } from './gedsi-review.state';

export const gedsiReviewDecider: Decider<GEDSIReviewState, GEDSIReviewCommand, GEDSIReviewEvent> = { initialState, evolve, decide };

export const streamId = (ventureId: string): string => `gedsireview-${ventureId}`;

export const gedsiReviewEventTypes = [
  'GEDSIVerificationRequested',
  'GEDSIVerificationOverdue',
  'GEDSIReportingReminderIssued',
  'GEDSIReportingOverdue',
] as const satisfies readonly GEDSIReviewEvent['type'][];

/** Fails to compile when an event type is added to the union but not to the list above. */
const _complete: Exclude<GEDSIReviewEvent['type'], (typeof gedsiReviewEventTypes)[number]> extends never ? true : never = true;
