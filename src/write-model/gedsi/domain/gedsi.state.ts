import type { GEDSIEvent } from './gedsi.events';

/** The latest value of one metric for one period; recording a new value clears `verified`. */
export type RecordedMetric = Readonly<{
  value: number;
  unit: string;
  verified: boolean;
}>;

export type GEDSIState = Readonly<{
  /** Keyed by `metricKey(metricId, period)`. */
  metrics: ReadonlyMap<string, RecordedMetric>;
}>;

export const metricKey = (metricId: string, period: string): string => `${metricId}@${period}`;

export const initialState = (): GEDSIState => ({ metrics: new Map() });

export const evolve = (state: GEDSIState, event: GEDSIEvent): GEDSIState => {
  switch (event.type) {
    case 'GEDSIMetricUpdated': {
      const { metricId, period, newValue, unit } = event.data;
      return { metrics: new Map(state.metrics).set(metricKey(metricId, period), { value: newValue, unit, verified: false }) };
    }
    case 'GEDSIMetricVerified': {
      const key = metricKey(event.data.metricId, event.data.period);
      const recorded = state.metrics.get(key);
      if (recorded === undefined || recorded.value !== event.data.value) return state;
      return { metrics: new Map(state.metrics).set(key, { ...recorded, verified: true }) };
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};
