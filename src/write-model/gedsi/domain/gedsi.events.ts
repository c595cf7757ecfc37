import type { Event } from '../../../shared/decider';

/**
 * Schema version 2 of GEDSIMetricUpdated: stored v1 events reach `evolve` only through the v1 -> v2 upcaster
 * (oldValue null, unit from the catalog), so the domain knows only this shape.
 */
export type GEDSIMetricUpdated = Event<
  'GEDSIMetricUpdated',
  {
    ventureId: string;
    metricId: string;
    period: string;
    oldValue: number | null;
    newValue: number;
    unit: string;
  }
>;

export type GEDSIMetricVerified = Event<
  'GEDSIMetricVerified',
  {
    ventureId: string;
    metricId: string;
    period: string;
    value: number;
    verifiedBy: string;
  }
>;

export type GEDSIEvent = GEDSIMetricUpdated | GEDSIMetricVerified;
