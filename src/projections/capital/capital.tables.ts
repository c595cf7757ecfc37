import type { TableSpec } from '../runtime/projection';
import { ventureFacetsTable } from '../shared/venture-facets';

/**
 * One row per capital request. Amounts are exact decimals in the request's currency; `state` is the capital
 * aggregate's own state (see `capital.projection.ts`), the columns are derived from it.
 */
export const capitalRequestsTable: TableSpec = {
  name: 'capital_requests',
  columns: [
    { name: 'id', type: 'text' },
    { name: 'venture_id', type: 'text' },
    { name: 'tenant', type: 'text' },
    { name: 'currency', type: 'text' },
    { name: 'instrument', type: 'text' },
    { name: 'purpose', type: 'text' },
    { name: 'status', type: 'text' },
    { name: 'requested', type: 'numeric' },
    { name: 'committed', type: 'numeric' },
    { name: 'captured', type: 'numeric' },
    { name: 'refunded', type: 'numeric' },
    { name: 'disbursed', type: 'numeric' },
    { name: 'requested_at', type: 'timestamptz' },
    { name: 'updated_at', type: 'timestamptz' },
    { name: 'state', type: 'text' },
    { name: 'revision', type: 'integer' },
    /** The request as the contract's CapitalRequest, as JSON text (a page of ventures concatenates these). */
    { name: 'view', type: 'text' },
  ],
  primaryKey: ['id'],
  indexes: [
    { suffix: 'page', definition: '(tenant, requested_at, id)' },
    { suffix: 'venture', definition: '(tenant, venture_id, requested_at, id)' },
    { suffix: 'status', definition: '(tenant, status, requested_at, id)' },
  ],
};

export const capitalVenturesTable: TableSpec = ventureFacetsTable('capital_ventures');
