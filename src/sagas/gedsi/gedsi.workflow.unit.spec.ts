import { logged, SagaSpecification } from '../runtime/testing/saga-spec';
import { gedsiWorkflow, verificationReason, type GEDSIWorkflowSettings } from './gedsi.workflow';
import { nextQuarter, quarterEnd, quarterOf } from './quarters';

const DAY = 86_400_000;
const settings: GEDSIWorkflowSettings = { verificationWindowMs: 14 * DAY, reportingGraceMs: 30 * DAY, percentPoints: 10, ratio: 0.2, countRelative: 0.25 };
const saga = gedsiWorkflow(settings);
const given = SagaSpecification.for(saga).given;
const ventureId = '0b8f2c1e-5d0c-4d6a-9a57-0e1f6a3c2b11';
const T0 = '2026-05-01T10:00:00.000Z';
const ev = (type: string, data: Record<string, unknown> = {}, at = T0) => logged(type, { ventureId, ...data }, at);
const updated = (metricId: string, oldValue: number | null, newValue: number, unit = 'percent', period = '2026-Q2') =>
  ev('GEDSIMetricUpdated', { metricId, period, oldValue, newValue, unit });
const reportingTimers = (period: string) => [
  { id: `reminder-${period}`, dueAt: quarterEnd(period), command: { type: 'RemindGEDSIReporting', data: { ventureId, period, dueBy: new Date(new Date(quarterEnd(period)).getTime() + 30 * DAY).toISOString() } } },
  {
    id: `report-${period}`,
    dueAt: new Date(new Date(quarterEnd(period)).getTime() + 30 * DAY).toISOString(),
    command: { type: 'MarkGEDSIReportingOverdue', data: { ventureId, period, dueBy: new Date(new Date(quarterEnd(period)).getTime() + 30 * DAY).toISOString() } },
  },
];

describe('quarters', () => {
  it('computes quarters, their ends and successors in UTC', () => {
    expect(quarterOf('2026-12-31T23:59:59.999Z')).toBe('2026-Q4');
    expect(quarterEnd('2026-Q4')).toBe('2027-01-01T00:00:00.000Z');
    expect(nextQuarter('2026-Q4')).toBe('2027-Q1');
    expect(quarterEnd('2026-Q2')).toBe('2026-07-01T00:00:00.000Z');
  });
});

describe('verification tasks', () => {
  it.each([
    ['a first value of a metric capital readiness needs', updated('women_board_pct', null, 30), 'FIRST_REQUIRED_VALUE'],
    ['a first value of another metric', updated('youth_employment_pct', null, 30), undefined],
    ['a percent moving by more than 10 points', updated('women_board_pct', 30, 40.5), 'THRESHOLD_EXCEEDED'],
    ['a percent moving by exactly 10 points', updated('women_board_pct', 30, 40), undefined],
    ['a flag changing', updated('workplace_accessibility', 0, 1, 'flag'), 'THRESHOLD_EXCEEDED'],
    ['a count growing by 30%', updated('women_customers_reached', 100, 130, 'count'), 'THRESHOLD_EXCEEDED'],
    ['a count growing by 20%', updated('women_customers_reached', 100, 120, 'count'), undefined],
    ['a ratio moving by 0.3', updated('lowest_wage_to_living_wage_ratio', 1, 1.3, 'ratio'), 'THRESHOLD_EXCEEDED'],
  ])('%s -> %s', (_name, event, reason) => {
    expect(verificationReason(event.data as never, settings)).toBe(reason);
  });

  it('opens a task with a deadline and keeps the reporting timers of the quarter', () => {
    given([])
      .when(updated('women_board_pct', null, 30))
      .then({
        commands: [
          { type: 'OpenGEDSIVerification', data: { ventureId, metricId: 'women_board_pct', period: '2026-Q2', value: 30, reason: 'FIRST_REQUIRED_VALUE', deadline: '2026-05-15T10:00:00.000Z' } },
        ],
        cancelTimers: ['reminder-2026-Q2', 'report-2026-Q2'],
        timers: reportingTimers('2026-Q3'),
      });
  });

  it('schedules the deadline of an opened task and cancels it once the value is verified', () => {
    const deadline = '2026-05-15T10:00:00.000Z';
    const opened = ev('GEDSIVerificationRequested', { metricId: 'women_board_pct', period: '2026-Q2', value: 30, reason: 'FIRST_REQUIRED_VALUE', deadline });
    given([])
      .when(opened)
      .then({ timers: [{ id: `verify-women_board_pct@2026-Q2@${deadline}`, dueAt: deadline, command: { type: 'MarkGEDSIVerificationOverdue', data: { ventureId, metricId: 'women_board_pct', period: '2026-Q2', deadline } } }] });
    given([opened])
      .when(ev('GEDSIMetricVerified', { metricId: 'women_board_pct', period: '2026-Q2', value: 30, verifiedBy: 'a' }))
      .then({ cancelTimers: [`verify-women_board_pct@2026-Q2@${deadline}`] });
  });
});

describe('quarterly reporting', () => {
  it('schedules the reminder at the end of the quarter a venture is created in, and the overdue mark after the grace', () => {
    given([]).when(ev('VentureCreated', { name: 'n', sector: 's', country: 'KE', stage: 'SEED', description: null })).then({ timers: reportingTimers('2026-Q2') });
  });

  it('schedules the next quarter once a quarter is overdue', () => {
    given([]).when(ev('GEDSIReportingOverdue', { period: '2026-Q2', dueBy: '2026-07-31T00:00:00.000Z' })).then({ timers: reportingTimers('2026-Q3') });
  });

  it('a report for an earlier quarter cancels its timers and keeps those of the current one', () => {
    given([])
      .when(updated('youth_employment_pct', 10, 11, 'percent', '2026-Q1'))
      .then({ cancelTimers: ['reminder-2026-Q1', 'report-2026-Q1'], timers: reportingTimers('2026-Q2') });
  });
});
