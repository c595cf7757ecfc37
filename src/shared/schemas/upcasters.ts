import type { MetricDefinition } from '../gedsi-catalog';

export interface UpcastContext {
  /** The current catalog entry of a metric, if it is still in the catalog. */
  readonly findMetric: (metricId: string) => MetricDefinition | undefined;
}

/**
 * Turns the data of one event type from `fromVersion` into `fromVersion + 1`. The input has been validated
 * against the `fromVersion` schema; the registry validates the final result against the newest schema.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  readonly upcast: (data: Readonly<Record<string, unknown>>, context: UpcastContext) => Record<string, unknown>;
}

/** The unit of a metric that has left the catalog since the event was written. */
export const UNKNOWN_UNIT = 'unknown';

/** Every upcaster of every event type: the registry refuses to start if a version has none. */
export const UPCASTERS: readonly Upcaster[] = [
  {
    type: 'GEDSIMetricUpdated',
    fromVersion: 1,
    // v1 knew no previous value and no unit: the first value is the honest reading of a v1 event.
    upcast: ({ value, ...rest }, { findMetric }) => ({
      ...rest,
      oldValue: null,
      newValue: value,
      unit: typeof rest['metricId'] === 'string' ? (findMetric(rest['metricId'])?.unit ?? UNKNOWN_UNIT) : UNKNOWN_UNIT,
    }),
  },
  {
    type: 'PaymentCaptured',
    fromVersion: 1,
    // v1 captures were made by hand (the contract's capturePayment), never for a commitment of the workflow.
    upcast: (data) => ({ ...data, commitment: null }),
  },
];
