import type { GEDSIReviewEvent, VerificationReason } from './gedsi-review.events';

export type VerificationTask = Readonly<{
  metricId: string;
  period: string;
  value: number;
  reason: VerificationReason;
  deadline: string;
  overdue: boolean;
}>;

export type GEDSIReviewState = Readonly<{
  /** The latest task per `metricId@period`. */
  tasks: ReadonlyMap<string, VerificationTask>;
  reminded: ReadonlySet<string>;
  overdueReports: ReadonlySet<string>;
}>;

export const taskKey = (metricId: string, period: string): string => `${metricId}@${period}`;

export const initialState = (): GEDSIReviewState => ({ tasks: new Map(), reminded: new Set(), overdueReports: new Set() });

export const evolve = (state: GEDSIReviewState, event: GEDSIReviewEvent): GEDSIReviewState => {
  switch (event.type) {
    case 'GEDSIVerificationRequested': {
      const { metricId, period, value, reason, deadline } = event.data;
      return { ...state, tasks: new Map(state.tasks).set(taskKey(metricId, period), { metricId, period, value, reason, deadline, overdue: false }) };
    }
    case 'GEDSIVerificationOverdue': {
      const key = taskKey(event.data.metricId, event.data.period);
      const task = state.tasks.get(key);
      if (task === undefined || task.deadline !== event.data.deadline) return state;
      return { ...state, tasks: new Map(state.tasks).set(key, { ...task, overdue: true }) };
    }
    case 'GEDSIReportingReminderIssued':
      return { ...state, reminded: new Set(state.reminded).add(event.data.period) };
    case 'GEDSIReportingOverdue':
      return { ...state, overdueReports: new Set(state.overdueReports).add(event.data.period) };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};
