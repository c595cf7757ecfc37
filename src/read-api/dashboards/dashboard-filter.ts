import { ventureStages } from '../../write-model/venture/domain/venture.events';
import { defined, objectArg, optionalEnum, optionalText, pastInstant } from '../args';
import type { DashboardFilter, VentureFilter } from '../read-models.port';

export interface DashboardQuery {
  readonly filter: DashboardFilter;
  readonly asOf: string | undefined;
}

export function dashboardQuery(raw: unknown, now: Date): DashboardQuery {
  const input = objectArg(raw, 'filter');
  const filter = defined({
    sector: optionalText(input['sector'], 'sector'),
    country: optionalText(input['country'], 'country', 2),
    stage: optionalEnum(input['stage'], 'stage', ventureStages),
  });
  const asOf = input['asOf'] === undefined || input['asOf'] === null ? undefined : pastInstant(input['asOf'], 'asOf', now);
  return { filter, asOf };
}

export function ventureFilter(raw: unknown): VentureFilter {
  const input = objectArg(raw, 'filter');
  return defined({
    sector: optionalText(input['sector'], 'sector'),
    country: optionalText(input['country'], 'country', 2),
    stage: optionalEnum(input['stage'], 'stage', ventureStages),
    nameContains: optionalText(input['nameContains'], 'nameContains'),
  });
}

/** A stable text of a filter, for cache keys. */
export const filterKey = (filter: DashboardFilter): string =>
  JSON.stringify([filter.sector ?? null, filter.country ?? null, filter.stage ?? null]);

/** The same for a venture list's filter (totalCount cache keys). */
export const ventureFilterKey = (filter: VentureFilter): string =>
  JSON.stringify([filter.sector ?? null, filter.country ?? null, filter.stage ?? null, filter.nameContains ?? null]);
