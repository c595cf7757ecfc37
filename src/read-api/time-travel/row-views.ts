import type { Row } from '../../projections/runtime/projection';
import type { CapitalRequestView, MetricView } from '../read-models.port';

/** The projections' documents (rows) in the contract's shapes, for answers folded in memory. */
const text = (row: Row, column: string): string => String(row[column]);

export function metricViewOf(row: Row): MetricView {
  return {
    metricId: text(row, 'metric_id'),
    value: Number(row['value']),
    unit: text(row, 'unit'),
    period: text(row, 'period'),
    verified: row['verified'] === true,
    updatedAt: text(row, 'updated_at'),
    updatedBy: text(row, 'updated_by'),
  };
}

export function capitalRequestViewOf(row: Row): CapitalRequestView {
  const currency = text(row, 'currency');
  const money = (column: string) => ({ amount: text(row, column), currency });
  return {
    id: text(row, 'id'),
    ventureId: text(row, 'venture_id'),
    amount: money('requested'),
    instrument: text(row, 'instrument'),
    purpose: text(row, 'purpose'),
    status: text(row, 'status'),
    committed: money('committed'),
    captured: money('captured'),
    disbursed: money('disbursed'),
    requestedAt: text(row, 'requested_at'),
    updatedAt: text(row, 'updated_at'),
  };
}
