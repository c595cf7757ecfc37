import type { VentureEvent } from '../../write-model/venture/domain/venture.events';
import type { InternalEvents, TranslationsOf } from './translation';

export const VENTURES_INTERNAL = {
  VentureNameReserved: 'the name reservation enforces unique names per tenant; the name is public in VentureRegistered',
  VentureNameReleased: 'the name reservation enforces unique names per tenant; the name is public in VentureProfileChanged',
} as const satisfies InternalEvents;

export const VENTURES_TRANSLATIONS: TranslationsOf<VentureEvent, keyof typeof VENTURES_INTERNAL> = {
  VentureCreated: {
    context: 'ventures',
    type: 'ventures.VentureRegistered',
    version: 1,
    translate: (d) => ({ ventureId: d.ventureId, name: d.name, sector: d.sector, country: d.country, stage: d.stage, description: d.description }),
  },
  VentureProfileUpdated: {
    context: 'ventures',
    type: 'ventures.VentureProfileChanged',
    version: 1,
    translate: (d) => ({ ventureId: d.ventureId, changes: { ...d.changes } }),
  },
  VentureStageChanged: {
    context: 'ventures',
    type: 'ventures.VentureStageChanged',
    version: 1,
    translate: (d) => ({ ventureId: d.ventureId, previousStage: d.from, stage: d.to }),
  },
};
