import { badInput, notFound, type CommandContext } from '../../../shared/decider';
import { findMetric, type MetricDefinition } from '../../../shared/gedsi-catalog';
import type { GEDSICommand, RecordGEDSIMetric, VerifyGEDSIMetric } from './gedsi.commands';
import type { GEDSIEvent, GEDSIMetricUpdated, GEDSIMetricVerified } from './gedsi.events';
import { metricKey, type GEDSIState } from './gedsi.state';

const PERIOD = /^([0-9]{4})(?:-(Q[1-4]|H[12]))?$/;

const knownMetric = (metricId: string): MetricDefinition => {
  const metric = findMetric(metricId);
  if (metric === undefined) throw badInput('metricId', `unknown metric ${JSON.stringify(metricId)}`);
  return metric;
};

/** The UTC year and 0-based month the period starts in. */
const periodStart = (period: string): { year: number; month: number } => {
  const match = PERIOD.exec(period);
  if (match === null) {
    throw badInput('period', `period must be YYYY, YYYY-Hn or YYYY-Qn (such as "2026-Q1"), got ${JSON.stringify(period)}`);
  }
  const year = Number(match[1]);
  const part = match[2];
  if (part === undefined) return { year, month: 0 };
  const index = Number(part.slice(1)) - 1;
  return { year, month: part.startsWith('Q') ? index * 3 : index * 6 };
};

/** A period may be reported once it has started (the current quarter may be reported while it runs). */
const startedPeriod = (period: string, context: CommandContext): string => {
  const start = periodStart(period);
  const now = new Date(context.now);
  if (Number.isNaN(now.getTime())) throw new Error(`context.now is not an ISO-8601 instant: ${context.now}`);
  const [year, month] = [now.getUTCFullYear(), now.getUTCMonth()];
  if (start.year > year || (start.year === year && start.month > month)) {
    throw badInput('period', `period ${period} has not started yet (now is ${context.now})`);
  }
  return period;
};

const bounds = (metric: MetricDefinition): string => `${metric.min ?? '-∞'} to ${metric.max ?? '∞'}`;

const validValue = (value: number, metric: MetricDefinition): number => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badInput('value', 'value must be a finite number');
  if (metric.unit === 'flag' && value !== 0 && value !== 1) {
    throw badInput('value', `value of ${metric.metricId} is a flag and must be 0 or 1, got ${value}`);
  }
  if (metric.unit === 'count' && !Number.isInteger(value)) {
    throw badInput('value', `value of ${metric.metricId} is a count and must be a whole number, got ${value}`);
  }
  if ((metric.min !== null && value < metric.min) || (metric.max !== null && value > metric.max)) {
    throw badInput('value', `value of ${metric.metricId} must be within ${bounds(metric)} (${metric.unit}), got ${value}`);
  }
  return value;
};

export const recordGEDSIMetric = (command: RecordGEDSIMetric, state: GEDSIState): GEDSIMetricUpdated[] => {
  const { data, context } = command;
  const metric = knownMetric(data.metricId);
  const value = validValue(data.value, metric);
  const period = startedPeriod(data.period, context);
  const recorded = state.metrics.get(metricKey(metric.metricId, period));
  if (recorded !== undefined && recorded.value === value) return [];
  return [
    {
      type: 'GEDSIMetricUpdated',
      data: {
        ventureId: data.ventureId,
        metricId: metric.metricId,
        period,
        oldValue: recorded === undefined ? null : recorded.value,
        newValue: value,
        unit: metric.unit,
      },
    },
  ];
};

/** A value already recorded stays verifiable even if its metric has since left the catalog. */
export const verifyGEDSIMetric = (command: VerifyGEDSIMetric, state: GEDSIState): GEDSIMetricVerified[] => {
  const { data, context } = command;
  const recorded = state.metrics.get(metricKey(data.metricId, data.period));
  if (recorded === undefined) {
    knownMetric(data.metricId);
    periodStart(data.period);
    throw notFound(`no value of ${data.metricId} is recorded for ${data.period}`);
  }
  if (recorded.verified) return [];
  return [
    {
      type: 'GEDSIMetricVerified',
      data: { ventureId: data.ventureId, metricId: data.metricId, period: data.period, value: recorded.value, verifiedBy: context.actor },
    },
  ];
};

export const decide = (command: GEDSICommand, state: GEDSIState): GEDSIEvent[] => {
  switch (command.type) {
    case 'RecordGEDSIMetric':
      return recordGEDSIMetric(command, state);
    case 'VerifyGEDSIMetric':
      return verifyGEDSIMetric(command, state);
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown GEDSI command ${JSON.stringify(_exhaustive)}`);
    }
  }
};
