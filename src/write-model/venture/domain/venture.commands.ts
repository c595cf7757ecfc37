import type { Command } from '../../../shared/decider';
import type { VentureStage } from './venture.events';

export type CreateVenture = Command<
  'CreateVenture',
  {
    ventureId: string;
    name: string;
    sector: string;
    country: string;
    stage: VentureStage;
    description?: string | null;
  }
>;

/** An absent field is left as it is; `description: null` clears the description. */
export type UpdateVentureProfile = Command<
  'UpdateVentureProfile',
  {
    ventureId: string;
    name?: string;
    sector?: string;
    country?: string;
    stage?: VentureStage;
    description?: string | null;
    expectedRevision?: number;
  }
>;

export type VentureCommand = CreateVenture | UpdateVentureProfile;
