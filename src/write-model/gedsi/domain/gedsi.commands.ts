import type { Command } from '../../../shared/decider';

/** `period` is YYYY, YYYY-Hn or YYYY-Qn; `value` is in the unit the catalog gives for `metricId`. */
export type RecordGEDSIMetric = Command<
  'RecordGEDSIMetric',
  {
    ventureId: string;
    metricId: string;
    value: number;
    period: string;
    expectedRevision?: number;
  }
>;

/** The verifier is the command's actor. */
export type VerifyGEDSIMetric = Command<
  'VerifyGEDSIMetric',
  {
    ventureId: string;
    metricId: string;
    period: string;
  }
>;

export type GEDSICommand = RecordGEDSIMetric | VerifyGEDSIMetric;
