import type { VentureEvent, VentureStage } from './venture.events';

export type VentureProfile = Readonly<{
  ventureId: string;
  name: string;
  sector: string;
  country: string;
  stage: VentureStage;
  description: string | null;
}>;

export type NoVenture = Readonly<{ status: 'NONE' }>;
export type ExistingVenture = Readonly<{ status: 'CREATED'; profile: VentureProfile }>;
export type VentureState = NoVenture | ExistingVenture;

export const initialState = (): VentureState => ({ status: 'NONE' });

export const evolve = (state: VentureState, event: VentureEvent): VentureState => {
  switch (event.type) {
    case 'VentureCreated':
      return { status: 'CREATED', profile: { ...event.data } };
    case 'VentureProfileUpdated':
      if (state.status !== 'CREATED') return state;
      return { status: 'CREATED', profile: { ...state.profile, ...event.data.changes } };
    case 'VentureStageChanged':
      if (state.status !== 'CREATED') return state;
      return { status: 'CREATED', profile: { ...state.profile, stage: event.data.to } };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};
