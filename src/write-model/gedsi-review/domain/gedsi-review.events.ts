import type { Event } from '../../../shared/decider';

/** GEDSI oversight of one venture (`gedsireview-<ventureId>`): verification tasks and quarterly reporting. */

export const verificationReasons = ['THRESHOLD_EXCEEDED', 'FIRST_REQUIRED_VALUE'] as const;
export type VerificationReason = (typeof verificationReasons)[number];

export type GEDSIVerificationRequested = Event<
  'GEDSIVerificationRequested',
  { ventureId: string; metricId: string; period: string; value: number; reason: VerificationReason; deadline: string }
>;

export type GEDSIVerificationOverdue = Event<
  'GEDSIVerificationOverdue',
  { ventureId: string; metricId: string; period: string; value: number; deadline: string }
>;

export type GEDSIReportingReminderIssued = Event<'GEDSIReportingReminderIssued', { ventureId: string; period: string; dueBy: string }>;

export type GEDSIReportingOverdue = Event<'GEDSIReportingOverdue', { ventureId: string; period: string; dueBy: string }>;

export type GEDSIReviewEvent = GEDSIVerificationRequested | GEDSIVerificationOverdue | GEDSIReportingReminderIssued | GEDSIReportingOverdue;
