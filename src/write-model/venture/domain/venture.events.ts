import type { Event } from '../../../shared/decider';

export const ventureStages = ['IDEA', 'PRE_SEED', 'SEED', 'SERIES_A', 'GROWTH'] as const;
export type VentureStage = (typeof ventureStages)[number];

export type VentureCreated = Event<
  'VentureCreated',
  {
    ventureId: string;
    name: string;
    sector: string;
    country: string;
    stage: VentureStage;
    description: string | null;
  }
>;

/** Only the fields that changed; at least one is present. */
export type VentureProfileChanges = Readonly<{
  name?: string;
  sector?: string;
  country?: string;
  description?: string | null;
}>;

export type VentureProfileUpdated = Event<
  'VentureProfileUpdated',
  {
    ventureId: string;
    changes: VentureProfileChanges;
  }
>;

export type VentureStageChanged = Event<
  'VentureStageChanged',
  {
    ventureId: string;
    from: VentureStage;
    to: VentureStage;
  }
>;

export type VentureEvent = VentureCreated | VentureProfileUpdated | VentureStageChanged;
