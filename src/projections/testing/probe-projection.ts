import { ventureEventTypes } from '../../write-model/venture/domain/venture.decider';
import type { VentureEvent } from '../../write-model/venture/domain/venture.events';
import { pgProjection, type PgProjection, type PoisonPolicy, type Row } from '../runtime/projection';
import { evolveVenture } from '../ventures/ventures.projection';
import { venturesTable } from '../ventures/ventures.tables';

export interface ProbeOptions {
  readonly name: string;
  readonly version?: number;
  readonly onPoison?: PoisonPolicy;
  /** Events whose ids are in here fail to apply ("poison"); remove an id to "fix the code". */
  readonly poison?: Set<string>;
  /** Written into every probe row: which process applied the event. */
  readonly writer?: string;
  /** An extra column changes the table layout (a new physical layout). */
  readonly extraColumn?: boolean;
}

/**
 * A projection for runtime tests: the ventures document plus a probe table with one row per applied event
 * that counts applications (it has no revision, so the runtime's replay guard does not hide a second one)
 * and names the writer.
 */
export function probeProjection(o: ProbeOptions): PgProjection {
  const fail = (eventId: string): void => {
    if (o.poison?.has(eventId)) throw new Error(`probe poison ${eventId}`);
  };
  return pgProjection<VentureEvent>({
    name: o.name,
    version: o.version ?? 1,
    canHandle: ventureEventTypes,
    onPoison: o.onPoison ?? 'skip',
    views: [
      {
        table: {
          ...venturesTable,
          name: `${o.name}_ventures`,
          generatedColumns: [],
          indexes: [{ suffix: 'page', definition: '(tenant, created_at, id)' }],
          columns: o.extraColumn ? [...venturesTable.columns, { name: 'extra', type: 'text', nullable: true }] : venturesTable.columns,
        },
        keyOf: (e) => [e.data.ventureId],
        evolve: (doc, e) => {
          fail(e.eventId);
          return evolveVenture(doc, e);
        },
      },
      {
        table: {
          name: `${o.name}_applied`,
          columns: [
            { name: 'position', type: 'bigint' },
            { name: 'writer', type: 'text' },
            { name: 'applied', type: 'integer' },
          ],
          primaryKey: ['position'],
        },
        keyOf: (e) => [e.position],
        evolve: (doc: Row | undefined, e) => ({ position: e.position, writer: o.writer ?? 'probe', applied: Number(doc?.['applied'] ?? 0) + 1 }),
      },
    ],
  });
}
