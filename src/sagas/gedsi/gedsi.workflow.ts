import { findMetric } from '../../shared/gedsi-catalog';
import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import type { GEDSIEvent, GEDSIMetricUpdated } from '../../write-model/gedsi/domain/gedsi.events';
import type { GEDSIReportingOverdue, GEDSIVerificationRequested, VerificationReason } from '../../write-model/gedsi-review/domain/gedsi-review.events';
import type { VentureCreated } from '../../write-model/venture/domain/venture.events';
import { addMs, decision, nothing, type Decision, type Saga, type SagaCommand, type TimerRequest } from '../runtime/saga';
import { isQuarter, nextQuarter, quarterEnd, quarterOf } from './quarters';

export interface GEDSIWorkflowSettings {
  readonly verificationWindowMs: number;
  /** How long after a quarter ends its report is due. */
  readonly reportingGraceMs: number;
  /** A change larger than these opens a verification task: points for percents, absolute for ratios, relative for counts. */
  readonly percentPoints: number;
  readonly ratio: number;
  readonly countRelative: number;
}

export const GEDSI_SAGA = 'gedsi';

/** Per venture: the verification tasks the saga scheduled a deadline for, by `metricId@period`. */
export interface GEDSISagaState {
  readonly ventureId: string | null;
  readonly tasks: Readonly<Record<string, { readonly deadline: string; readonly verified: boolean }>>;
}

type Input = VentureCreated | GEDSIEvent | GEDSIVerificationRequested | GEDSIReportingOverdue;

/** Why a recorded value needs an analyst's verification, if it does. */
export function verificationReason(update: GEDSIMetricUpdated['data'], settings: GEDSIWorkflowSettings): VerificationReason | undefined {
  const { oldValue, newValue, unit, metricId } = update;
  if (oldValue === null) return (findMetric(metricId)?.requiredFor.length ?? 0) > 0 ? 'FIRST_REQUIRED_VALUE' : undefined;
  const delta = Math.abs(newValue - oldValue);
  const moved =
    unit === 'percent' ? delta > settings.percentPoints
    : unit === 'ratio' ? delta > settings.ratio
    : unit === 'flag' ? delta > 0
    : unit === 'count' ? (oldValue === 0 ? newValue !== 0 : delta / Math.abs(oldValue) > settings.countRelative)
    : false;
  return moved ? 'THRESHOLD_EXCEEDED' : undefined;
}

const reportingTimers = (ventureId: string, period: string, settings: GEDSIWorkflowSettings): TimerRequest[] => {
  const end = quarterEnd(period);
  const dueBy = addMs(end, settings.reportingGraceMs);
  return [
    { id: `reminder-${period}`, dueAt: end, command: { type: 'RemindGEDSIReporting', data: { ventureId, period, dueBy } } },
    { id: `report-${period}`, dueAt: dueBy, command: { type: 'MarkGEDSIReportingOverdue', data: { ventureId, period, dueBy } } },
  ];
};

const verificationTimerId = (key: string, deadline: string): string => `verify-${key}@${deadline}`;

const decideFor = (state: GEDSISagaState, input: Input, at: string, s: GEDSIWorkflowSettings): Decision => {
  const ventureId = input.data.ventureId;
  switch (input.type) {
    case 'VentureCreated':
      return decision({ timers: reportingTimers(ventureId, quarterOf(at), s) });
    case 'GEDSIMetricUpdated': {
      const { metricId, period, newValue } = input.data;
      const reason = verificationReason(input.data, s);
      const commands: SagaCommand[] =
        reason === undefined ? [] : [{ type: 'OpenGEDSIVerification', data: { ventureId, metricId, period, value: newValue, reason, deadline: addMs(at, s.verificationWindowMs) } }];
      // Scheduling an existing timer id does nothing, so the current quarter's timers are (re)asked for on every report.
      const reported = isQuarter(period) ? [period] : [];
      const upcoming = [...new Set([quarterOf(at), ...reported.map(nextQuarter)])].filter((q) => !reported.includes(q));
      return decision({
        commands,
        cancelTimers: reported.flatMap((q) => [`reminder-${q}`, `report-${q}`]),
        timers: upcoming.flatMap((q) => reportingTimers(ventureId, q, s)),
      });
    }
    case 'GEDSIVerificationRequested': {
      const { metricId, period, deadline } = input.data;
      const command: SagaCommand = { type: 'MarkGEDSIVerificationOverdue', data: { ventureId, metricId, period, deadline } };
      return decision({ timers: [{ id: verificationTimerId(`${metricId}@${period}`, deadline), dueAt: deadline, command }] });
    }
    case 'GEDSIMetricVerified': {
      const key = `${input.data.metricId}@${input.data.period}`;
      const task = state.tasks[key];
      return task === undefined ? nothing : decision({ cancelTimers: [verificationTimerId(key, task.deadline)] });
    }
    case 'GEDSIReportingOverdue':
      return decision({ timers: reportingTimers(ventureId, nextQuarter(input.data.period), s) });
    default: {
      const _exhaustive: never = input;
      return nothing;
    }
  }
};

const evolveFor = (state: GEDSISagaState, input: Input): GEDSISagaState => {
  const ventureId = state.ventureId ?? input.data.ventureId;
  if (input.type === 'GEDSIVerificationRequested') {
    const { metricId, period, deadline } = input.data;
    return { ventureId, tasks: { ...state.tasks, [`${metricId}@${period}`]: { deadline, verified: false } } };
  }
  if (input.type === 'GEDSIMetricVerified') {
    const key = `${input.data.metricId}@${input.data.period}`;
    const task = state.tasks[key];
    return task === undefined ? { ...state, ventureId } : { ventureId, tasks: { ...state.tasks, [key]: { ...task, verified: true } } };
  }
  return { ...state, ventureId };
};

const asInput = (event: StoredEvent): Input => ({ type: event.type, data: event.data }) as Input;

/**
 * GEDSI oversight per venture: a large change, or a first value of a metric capital readiness needs, opens a
 * verification task with a deadline; each quarter the venture is reminded when the quarter ends and its reporting is
 * marked overdue after the grace period unless it reported a value for that quarter.
 */
export function gedsiWorkflow(settings: GEDSIWorkflowSettings): Saga<GEDSISagaState> {
  return {
    name: GEDSI_SAGA,
    canHandle: ['VentureCreated', 'GEDSIMetricUpdated', 'GEDSIMetricVerified', 'GEDSIVerificationRequested', 'GEDSIReportingOverdue'],
    correlate: (event) => ({ key: asInput(event).data.ventureId, starts: true }),
    initialState: () => ({ ventureId: null, tasks: {} }),
    evolve: (state, event) => evolveFor(state, asInput(event)),
    decide: (state, event) => decideFor(state, asInput(event), event.occurredAt, settings),
    associations: () => [],
    isDone: () => false,
  };
}
