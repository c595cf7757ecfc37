import { badInput } from '../../../shared/decider';
import { findMetric } from '../../../shared/gedsi-catalog';
import type * as C from './gedsi-review.commands';
import type { GEDSIReviewEvent } from './gedsi-review.events';
import { taskKey, type GEDSIReviewState } from './gedsi-review.state';

const QUARTER = /^[0-9]{4}-Q[1-4]$/;

const quarter = (period: string): string => {
  if (!QUARTER.test(period)) throw badInput('period', `period must be a quarter such as "2026-Q1", got ${JSON.stringify(period)}`);
  return period;
};

const open = ({ data }: C.OpenGEDSIVerification, state: GEDSIReviewState): GEDSIReviewEvent[] => {
  if (findMetric(data.metricId) === undefined) throw badInput('metricId', `unknown metric ${JSON.stringify(data.metricId)}`);
  const task = state.tasks.get(taskKey(data.metricId, data.period));
  if (task !== undefined && task.value === data.value && !task.overdue) return [];
  return [{ type: 'GEDSIVerificationRequested', data: { ...data, deadline: new Date(data.deadline).toISOString() } }];
};

/** Only the task's own deadline, and only if the value it asked about is still unverified. */
const verificationOverdue = ({ data }: C.MarkGEDSIVerificationOverdue, state: GEDSIReviewState): GEDSIReviewEvent[] => {
  const task = state.tasks.get(taskKey(data.metricId, data.period));
  if (task === undefined || task.overdue || task.deadline !== new Date(data.deadline).toISOString() || data.verifiedValue === task.value) return [];
  const { ventureId, metricId, period } = data;
  return [{ type: 'GEDSIVerificationOverdue', data: { ventureId, metricId, period, value: task.value, deadline: task.deadline } }];
};

const remind = ({ data }: C.RemindGEDSIReporting, state: GEDSIReviewState): GEDSIReviewEvent[] => {
  const period = quarter(data.period);
  if (data.reportedMetricIds.length > 0 || state.reminded.has(period)) return [];
  return [{ type: 'GEDSIReportingReminderIssued', data: { ventureId: data.ventureId, period, dueBy: data.dueBy } }];
};

const reportingOverdue = ({ data }: C.MarkGEDSIReportingOverdue, state: GEDSIReviewState): GEDSIReviewEvent[] => {
  const period = quarter(data.period);
  if (data.reportedMetricIds.length > 0 || state.overdueReports.has(period)) return [];
  return [{ type: 'GEDSIReportingOverdue', data: { ventureId: data.ventureId, period, dueBy: data.dueBy } }];
};

export const decide = (command: C.GEDSIReviewCommand, state: GEDSIReviewState): GEDSIReviewEvent[] => {
  switch (command.type) {
    case 'OpenGEDSIVerification':
      return open(command, state);
    case 'MarkGEDSIVerificationOverdue':
      return verificationOverdue(command, state);
    case 'RemindGEDSIReporting':
      return remind(command, state);
    case 'MarkGEDSIReportingOverdue':
      return reportingOverdue(command, state);
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown GEDSI review command ${JSON.stringify(_exhaustive)}`);
    }
  }
};
