import type { CommandContext } from '../../../shared/decider';
import { findMetric } from '../../../shared/gedsi-catalog';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { RecordGEDSIMetric, VerifyGEDSIMetric } from './gedsi.commands';
import { gedsiDecider, isGEDSICommandType, isGEDSIEventType, streamId } from './gedsi.decider';
import type { GEDSIMetricUpdated, GEDSIMetricVerified } from './gedsi.events';

const context: CommandContext = { now: '2026-05-01T10:00:00.000Z', actor: 'analyst-1', tenant: 'tenant-a' };
const ventureId = '0b8f2c1e-5d0c-4d6a-9a57-0e1f6a3c2b11';
const given = DeciderSpecification.for(gedsiDecider).given;

const PERCENT = 'women_ownership_pct';
const SIGNED_PERCENT = 'gender_pay_gap_pct';
const FLAG = 'workplace_accessibility';
const COUNT = 'women_customers_reached';

const record = (value: number, period = '2026-Q1', metricId = PERCENT, now = context.now): RecordGEDSIMetric => ({
  type: 'RecordGEDSIMetric',
  data: { ventureId, metricId, value, period },
  context: { ...context, now },
});
const verify = (period = '2026-Q1', metricId = PERCENT): VerifyGEDSIMetric => ({
  type: 'VerifyGEDSIMetric',
  data: { ventureId, metricId, period },
  context,
});
const updated = (oldValue: number | null, newValue: number, period = '2026-Q1', metricId = PERCENT, unit = 'percent'): GEDSIMetricUpdated => ({
  type: 'GEDSIMetricUpdated',
  data: { ventureId, metricId, period, oldValue, newValue, unit },
});
const verified = (value: number, period = '2026-Q1', metricId = PERCENT): GEDSIMetricVerified => ({
  type: 'GEDSIMetricVerified',
  data: { ventureId, metricId, period, value, verifiedBy: 'analyst-1' },
});

describe('the catalog these tests rely on', () => {
  it('has the metrics, units and ranges used below', () => {
    expect(findMetric(PERCENT)).toMatchObject({ unit: 'percent', min: 0, max: 100 });
    expect(findMetric(SIGNED_PERCENT)).toMatchObject({ unit: 'percent', min: -100, max: 100 });
    expect(findMetric(FLAG)).toMatchObject({ unit: 'flag', min: 0, max: 1 });
    expect(findMetric(COUNT)).toMatchObject({ unit: 'count', min: 0, max: null });
  });
});

describe('RecordGEDSIMetric', () => {
  it('records the first value of a metric with oldValue null and the catalog unit', () => {
    given([]).when(record(42.5)).then([updated(null, 42.5)]);
  });

  it('records a new value with the previous value of the same metric and period as oldValue', () => {
    given([updated(null, 40)]).when(record(45)).then([updated(40, 45)]);
  });

  it('treats another period of the same metric as a first value', () => {
    given([updated(null, 40)]).when(record(45, '2025-Q4')).then([updated(null, 45, '2025-Q4')]);
  });

  it('emits nothing when the same value is recorded again', () => {
    given([updated(null, 40), updated(40, 45)]).when(record(45)).thenNothing();
  });

  it('refuses a metric that is not in the catalog', () => {
    given([]).when(record(1, '2026-Q1', 'happiness_index')).thenThrows('BAD_USER_INPUT', 'metricId', /unknown metric/);
  });

  it('accepts a value at the maximum and refuses one above it', () => {
    given([]).when(record(100)).then([updated(null, 100)]);
    given([]).when(record(100.01)).thenThrows('BAD_USER_INPUT', 'value', /within 0 to 100/);
  });

  it('accepts a value at the minimum and refuses one below it', () => {
    given([]).when(record(0)).then([updated(null, 0)]);
    given([]).when(record(-0.01)).thenThrows('BAD_USER_INPUT', 'value', /within 0 to 100/);
  });

  it('accepts negative values where the catalog range allows them', () => {
    given([]).when(record(-100, '2026-Q1', SIGNED_PERCENT)).then([updated(null, -100, '2026-Q1', SIGNED_PERCENT)]);
    given([]).when(record(-100.5, '2026-Q1', SIGNED_PERCENT)).thenThrows('BAD_USER_INPUT', 'value');
  });

  it('has no upper bound where the catalog max is null', () => {
    given([]).when(record(1e9, '2026-Q1', COUNT)).then([updated(null, 1e9, '2026-Q1', COUNT, 'count')]);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('refuses the value %p, which is not finite', (value) => {
    given([]).when(record(value, '2026-Q1', COUNT)).thenThrows('BAD_USER_INPUT', 'value', 'value must be a finite number');
  });

  it('accepts 0 and 1 for a flag metric and refuses anything else', () => {
    given([]).when(record(1, '2026-Q1', FLAG)).then([updated(null, 1, '2026-Q1', FLAG, 'flag')]);
    given([]).when(record(0, '2026-Q1', FLAG)).then([updated(null, 0, '2026-Q1', FLAG, 'flag')]);
    given([]).when(record(0.5, '2026-Q1', FLAG)).thenThrows('BAD_USER_INPUT', 'value', /must be 0 or 1/);
  });

  it('refuses a fractional count', () => {
    given([]).when(record(10.5, '2026-Q1', COUNT)).thenThrows('BAD_USER_INPUT', 'value', /whole number/);
  });

  it.each(['2026', '2026-H1', '2026-Q2', '2025-H2', '1999-Q4'])('accepts the period %p', (period) => {
    given([]).when(record(10, period)).then([updated(null, 10, period)]);
  });

  it.each(['2026-Q5', '2026-Q0', '2026-H3', '2026Q1', '26-Q1', '2026-q1', '2026-01', '', ' 2026'])(
    'refuses the period %p, which is not YYYY, YYYY-Hn or YYYY-Qn',
    (period) => {
      given([]).when(record(10, period)).thenThrows('BAD_USER_INPUT', 'period', /YYYY, YYYY-Hn or YYYY-Qn/);
    },
  );

  it.each(['2026-Q3', '2026-H2', '2027', '2027-Q1'])('refuses the period %p, which has not started yet', (period) => {
    given([]).when(record(10, period)).thenThrows('BAD_USER_INPUT', 'period', /has not started yet/);
  });

  it('refuses a quarter until its first instant, in UTC', () => {
    given([]).when(record(10, '2026-Q3', PERCENT, '2026-06-30T23:59:59.999Z')).thenThrows('BAD_USER_INPUT', 'period');
    given([]).when(record(10, '2026-Q3', PERCENT, '2026-07-01T00:00:00.000Z')).then([updated(null, 10, '2026-Q3')]);
    given([]).when(record(10, '2026-Q3', PERCENT, '2026-06-30T22:00:00-03:00')).then([updated(null, 10, '2026-Q3')]);
  });
});

describe('VerifyGEDSIMetric', () => {
  it('verifies the recorded value, naming the actor as verifier', () => {
    given([updated(null, 40), updated(40, 45)]).when(verify()).then([verified(45)]);
  });

  it('refuses to verify a value that was never recorded', () => {
    given([updated(null, 40, '2025-Q4')]).when(verify('2026-Q1')).thenThrows('NOT_FOUND', undefined, /no value of women_ownership_pct/);
  });

  it('refuses to verify a metric that is not in the catalog', () => {
    given([]).when(verify('2026-Q1', 'happiness_index')).thenThrows('BAD_USER_INPUT', 'metricId', /unknown metric/);
  });

  it('refuses a malformed period', () => {
    given([]).when(verify('2026-Q9')).thenThrows('BAD_USER_INPUT', 'period');
  });

  it('emits nothing when the value is already verified', () => {
    given([updated(null, 40), verified(40)]).when(verify()).thenNothing();
  });

  it('makes a value unverified again when a new value is recorded after verification', () => {
    given([updated(null, 40), verified(40), updated(40, 45)]).when(verify()).then([verified(45)]);
  });

  it('stays verified when the same value is recorded again', () => {
    const events = [updated(null, 40), verified(40)];
    given(events).when(record(40)).thenNothing();
    given(events).when(verify()).thenNothing();
  });

  it('verifies a value whose metric has left the catalog', () => {
    given([updated(null, 3, '2025', 'legacy_metric', 'unknown')])
      .when(verify('2025', 'legacy_metric'))
      .then([verified(3, '2025', 'legacy_metric')]);
  });
});

describe('gedsi decider exports', () => {
  it('names streams gedsi-<ventureId>', () => {
    expect(streamId(ventureId)).toBe(`gedsi-${ventureId}`);
  });

  it('recognises its own event and command types only', () => {
    expect(isGEDSIEventType('GEDSIMetricVerified')).toBe(true);
    expect(isGEDSIEventType('VentureCreated')).toBe(false);
    expect(isGEDSICommandType('RecordGEDSIMetric')).toBe(true);
    expect(isGEDSICommandType('GEDSIMetricUpdated')).toBe(false);
  });
});
