import type { Pool } from 'pg';
import {
  EventStoreArgumentError,
  WrongExpectedRevisionError,
  type AppendResult,
  type ExpectedRevision,
  type NewEvent,
} from '../event-store.port';

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
  readonly key: string | undefined;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: Error) => void;
}

type AppendOutcome =
  | { status: 'ok' | 'duplicate'; streamId: string; revision: number; position: string; eventTypes: string[] }
  | { status: 'wrong_expected_revision'; actual: number }
  | { status: 'error'; sqlstate: string; message: string };

/**
 * Group commit: appends that arrive while a batch is being written wait and go together in the next one,
 * as one `es_append` call (one round trip, one fsync). At concurrency 1 this is one statement per append;
 * under load the commit cost is shared, which is how the log can outrun single-row INSERT transactions.
 * Only one batch is in flight per store; across processes the advisory lock in `es_append` serialises them.
 */
export class AppendBatcher {
  private queue: PendingAppend[] = [];
  private writing = false;

  constructor(
    private readonly pool: Pool,
    private readonly maxBatch = 64,
  ) {}

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision, key: string | undefined): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, expected, key, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.write(batch);
      }
    } finally {
      this.writing = false;
    }
  }

  private async write(batch: PendingAppend[]): Promise<void> {
    const payload = batch.map((p) => ({
      streamId: p.streamId,
      expected: p.expected,
      key: p.key ?? null,
      events: p.events.map((e) => ({
        eventId: e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: e.metadata,
        occurredAt: e.occurredAt ?? null,
      })),
    }));
    let outcomes: AppendOutcome[];
    try {
      const res = await this.pool.query<{ results: AppendOutcome[] }>('SELECT es_append($1::jsonb) AS results', [
        JSON.stringify(payload),
      ]);
      outcomes = res.rows[0]?.results ?? [];
    } catch (error) {
      // The whole statement failed (connection lost, server down): nothing of this batch is known to be written
      // unless the commit itself was lost in flight; callers retry with their idempotency key.
      for (const p of batch) p.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    batch.forEach((p, i) => settle(p, outcomes[i]));
  }
}

function settle(p: PendingAppend, outcome: AppendOutcome | undefined): void {
  if (!outcome) return p.reject(new Error('es_append returned no result for a request'));
  switch (outcome.status) {
    case 'ok':
    case 'duplicate':
      return p.resolve({
        streamId: outcome.streamId,
        nextRevision: outcome.revision,
        position: outcome.position,
        duplicate: outcome.status === 'duplicate',
        eventTypes: outcome.eventTypes,
      });
    case 'wrong_expected_revision':
      return p.reject(new WrongExpectedRevisionError(p.streamId, p.expected, outcome.actual));
    case 'error':
      // 23505: an eventId already stored (events are immutable and their ids unique across the log).
      return p.reject(
        outcome.sqlstate === '23505'
          ? new EventStoreArgumentError(`duplicate event id in stream ${p.streamId}: ${outcome.message}`)
          : new Error(`append to ${p.streamId} failed: ${outcome.sqlstate} ${outcome.message}`),
      );
    default: {
      const _exhaustive: never = outcome;
      return p.reject(new Error(`unknown append outcome ${JSON.stringify(_exhaustive)}`));
    }
  }
}
