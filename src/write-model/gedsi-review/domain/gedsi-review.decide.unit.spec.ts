import type { CommandContext } from '../../../shared/decider';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { GEDSIReviewCommand } from './gedsi-review.commands';
import { gedsiReviewDecider, streamId } from './gedsi-review.decider';
import type { GEDSIReviewEvent } from './gedsi-review.events';

const context: CommandContext = { now: '2026-05-01T10:00:00.000Z', actor: 'saga:gedsi', tenant: 'tenant-a' };
const ventureId = '0b8f2c1e-5d0c-4d6a-9a57-0e1f6a3c2b11';
const D1 = '2026-05-15T10:00:00.000Z';
const given = DeciderSpecification.for(gedsiReviewDecider).given;
const cmd = (type: GEDSIReviewCommand['type'], data: Record<string, unknown>): GEDSIReviewCommand =>
  ({ type, data: { ventureId, ...data }, context }) as GEDSIReviewCommand;
const ev = (type: GEDSIReviewEvent['type'], data: Record<string, unknown>): GEDSIReviewEvent => ({ type, data: { ventureId, ...data } }) as GEDSIReviewEvent;

const task = { metricId: 'women_board_pct', period: '2026-Q1', value: 40 };
const requested = ev('GEDSIVerificationRequested', { ...task, reason: 'THRESHOLD_EXCEEDED', deadline: D1 });
const overdueCmd = (verifiedValue: number | null, deadline = D1) => cmd('MarkGEDSIVerificationOverdue', { metricId: task.metricId, period: task.period, deadline, verifiedValue });

describe('verification tasks', () => {
  it('opens a task once per value', () => {
    given([]).when(cmd('OpenGEDSIVerification', { ...task, reason: 'THRESHOLD_EXCEEDED', deadline: D1 })).then([requested]);
    given([requested]).when(cmd('OpenGEDSIVerification', { ...task, reason: 'THRESHOLD_EXCEEDED', deadline: D1 })).thenNothing();
  });

  it('opens a new task when the value changes again', () => {
    given([requested])
      .when(cmd('OpenGEDSIVerification', { ...task, value: 70, reason: 'THRESHOLD_EXCEEDED', deadline: '2026-05-20T00:00:00Z' }))
      .then([ev('GEDSIVerificationRequested', { ...task, value: 70, reason: 'THRESHOLD_EXCEEDED', deadline: '2026-05-20T00:00:00.000Z' })]);
  });

  it('marks an unverified task overdue at its own deadline only', () => {
    given([requested]).when(overdueCmd(null)).then([ev('GEDSIVerificationOverdue', { ...task, deadline: D1 })]);
    given([requested]).when(overdueCmd(null, '2026-05-16T00:00:00.000Z')).thenNothing();
  });

  it('does not mark a verified value overdue, nor twice', () => {
    given([requested]).when(overdueCmd(40)).thenNothing();
    given([requested, ev('GEDSIVerificationOverdue', { ...task, deadline: D1 })]).when(overdueCmd(null)).thenNothing();
  });

  it('refuses a metric outside the catalog', () => {
    given([]).when(cmd('OpenGEDSIVerification', { ...task, metricId: 'happiness', reason: 'THRESHOLD_EXCEEDED', deadline: D1 })).thenThrows('BAD_USER_INPUT', 'metricId');
  });
});

describe('quarterly reporting', () => {
  const due = { period: '2026-Q1', dueBy: D1 };

  it('reminds a venture that reported nothing for the quarter, once', () => {
    given([]).when(cmd('RemindGEDSIReporting', { ...due, reportedMetricIds: [] })).then([ev('GEDSIReportingReminderIssued', due)]);
    given([ev('GEDSIReportingReminderIssued', due)]).when(cmd('RemindGEDSIReporting', { ...due, reportedMetricIds: [] })).thenNothing();
  });

  it('marks the reporting overdue unless the venture reported, once', () => {
    given([]).when(cmd('MarkGEDSIReportingOverdue', { ...due, reportedMetricIds: [] })).then([ev('GEDSIReportingOverdue', due)]);
    given([]).when(cmd('MarkGEDSIReportingOverdue', { ...due, reportedMetricIds: ['women_board_pct'] })).thenNothing();
    given([ev('GEDSIReportingOverdue', due)]).when(cmd('MarkGEDSIReportingOverdue', { ...due, reportedMetricIds: [] })).thenNothing();
  });

  it('refuses a period that is not a quarter', () => {
    given([]).when(cmd('RemindGEDSIReporting', { period: '2026', dueBy: D1, reportedMetricIds: [] })).thenThrows('BAD_USER_INPUT', 'period');
  });

  it('names streams gedsireview-<ventureId>', () => {
    expect(streamId(ventureId)).toBe(`gedsireview-${ventureId}`);
  });
});
