import DataLoader from 'dataloader';
import { historyBatch, historyKey, streamLengths, type AuditEventView, type HistoryRequest } from '../audit/audit.queries';
import { READ_MODEL, type CapitalRequestView, type MetricView, type VentureView } from '../read-models.port';
import type { ReadApi } from '../read-api';

/**
 * The batching loaders of one request and one tenant: each nested field of a page of N ventures costs one
 * statement per loader, not N. Every batch first waits for its read model to reach the request's X-Read-After.
 */
export class Loaders {
  readonly ventures: DataLoader<string, VentureView | null>;
  readonly metrics: DataLoader<string, readonly MetricView[]>;
  readonly capitalByVenture: DataLoader<string, readonly CapitalRequestView[]>;
  readonly capitalById: DataLoader<string, CapitalRequestView | null>;
  readonly history: DataLoader<HistoryRequest, AuditEventView[], string>;
  readonly historyLength: DataLoader<string, number, string>;
  /** The nested lists a page of ventures read along with it, by venture id: its fields answer from these at once. */
  readonly pageMetrics = new Map<string, readonly MetricView[]>();
  readonly pageCapitalRequests = new Map<string, readonly CapitalRequestView[]>();

  constructor(api: ReadApi, tenant: string, caughtUp: (projection: string) => Promise<void>) {
    const models = api.readModels;
    this.ventures = new DataLoader(async (ids) => {
      await caughtUp(READ_MODEL.ventures);
      const found = await models.venturesByIds(tenant, ids);
      return ids.map((id) => found.get(id) ?? null);
    });
    this.metrics = new DataLoader(async (ids) => {
      await caughtUp(READ_MODEL.gedsi);
      const found = await models.metricsByVentureIds(tenant, ids);
      return ids.map((id) => found.get(id) ?? []);
    });
    this.capitalByVenture = new DataLoader(async (ids) => {
      await caughtUp(READ_MODEL.capital);
      const found = await models.capitalRequestsByVentureIds(tenant, ids);
      return ids.map((id) => found.get(id) ?? []);
    });
    this.capitalById = new DataLoader(async (ids) => {
      await caughtUp(READ_MODEL.capital);
      const found = await models.capitalRequestsByIds(tenant, ids);
      return ids.map((id) => found.get(id) ?? null);
    });
    // The log needs no waiting: a position a client holds is in it already.
    this.history = new DataLoader(
      async (requests) => {
        const found = await historyBatch(api.pool, tenant, requests);
        return requests.map((r) => found.get(historyKey(r)) ?? []);
      },
      { cacheKeyFn: historyKey },
    );
    this.historyLength = new DataLoader(async (keys) => {
      const byAsOf = new Map<string, string[]>();
      for (const key of keys) {
        const [streamId, asOf] = JSON.parse(key) as [string, string];
        byAsOf.set(asOf, [...(byAsOf.get(asOf) ?? []), streamId]);
      }
      const counts = new Map<string, number>();
      for (const [asOf, streamIds] of byAsOf) {
        const found = await streamLengths(api.pool, tenant, streamIds, asOf === '' ? undefined : asOf);
        for (const id of streamIds) counts.set(JSON.stringify([id, asOf]), found.get(id) ?? 0);
      }
      return keys.map((key) => counts.get(key) ?? 0);
    });
  }
}
