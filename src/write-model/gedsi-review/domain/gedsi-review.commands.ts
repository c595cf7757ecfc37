import type { Command } from '../../../shared/decider';
import type { VerificationReason } from './gedsi-review.events';

export type OpenGEDSIVerification = Command<
  'OpenGEDSIVerification',
  { ventureId: string; metricId: string; period: string; value: number; reason: VerificationReason; deadline: string }
>;

/** `verifiedValue`: the verified value of the metric for the period now (null when none), read by the handler. */
export type MarkGEDSIVerificationOverdue = Command<
  'MarkGEDSIVerificationOverdue',
  { ventureId: string; metricId: string; period: string; deadline: string; verifiedValue: number | null }
>;

/** `reportedMetricIds`: the metrics the venture recorded for the period, read by the handler. */
export type RemindGEDSIReporting = Command<'RemindGEDSIReporting', { ventureId: string; period: string; dueBy: string; reportedMetricIds: string[] }>;

export type MarkGEDSIReportingOverdue = Command<
  'MarkGEDSIReportingOverdue',
  { ventureId: string; period: string; dueBy: string; reportedMetricIds: string[] }
>;

export type GEDSIReviewCommand = OpenGEDSIVerification | MarkGEDSIVerificationOverdue | RemindGEDSIReporting | MarkGEDSIReportingOverdue;
