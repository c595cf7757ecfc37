import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { parseAmount } from '../../shared/money';
import {
  ProviderUnavailable,
  type CaptureRequest,
  type PaymentMetadata,
  type PaymentProvider,
  type PayoutRequest,
  type ProviderAnswer,
  type ProviderEvent,
  type ProviderEventType,
  type RefundRequest,
} from './payment-provider.port';

export interface SimulatedProviderOptions {
  /** Every random-looking choice derives from (seed, idempotency key): runs and restarts make the same choices. */
  readonly seed: string;
  readonly latencyMs?: number;
  /** Share of captures (per idempotency key, so per attempt) the provider declines. */
  readonly captureDeclineRate?: number;
  readonly payoutDeclineRate?: number;
  /** Share of operations whose first call times out; `timeoutMode` says whether the provider did the work anyway. */
  readonly timeoutRate?: number;
  readonly timeoutMode?: 'before' | 'after';
  /** Share of webhooks delivered twice. */
  readonly duplicateWebhookRate?: number;
  /** Webhooks are delayed by up to this (deterministically per event), so they arrive out of order. */
  readonly maxWebhookDelayMs?: number;
}

type Operation = 'capture' | 'payout' | 'refund';

interface OperationRow {
  provider_id: string;
  op: Operation;
  amount_minor: string;
  currency: string;
  outcome: 'succeeded' | 'failed';
  reason: string | null;
  inserted: boolean;
}

const TABLES = `
  CREATE TABLE IF NOT EXISTS sim_provider_operations (
    idempotency_key text PRIMARY KEY,
    op              text        NOT NULL,
    provider_id     text        NOT NULL UNIQUE,
    amount_minor    bigint      NOT NULL,
    currency        text        NOT NULL,
    counterparty    text        NOT NULL,
    metadata        jsonb       NOT NULL,
    outcome         text        NOT NULL,
    reason          text,
    calls           integer     NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS sim_provider_first_calls (idempotency_key text PRIMARY KEY);
  CREATE TABLE IF NOT EXISTS sim_provider_outbox (
    seq           bigserial   PRIMARY KEY,
    event_id      text        NOT NULL,
    payload       jsonb       NOT NULL,
    deliver_after timestamptz NOT NULL,
    delivered_at  timestamptz,
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text
  );
  CREATE INDEX IF NOT EXISTS sim_provider_outbox_due_idx ON sim_provider_outbox (deliver_after) WHERE delivered_at IS NULL;
`;

/** Creates the simulated provider's own tables (its "bank"): separate from ours, so tests can audit its ledger. */
export async function migrateSimulatedProvider(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(729, 1)');
    await client.query(TABLES);
  } finally {
    await client.query('SELECT pg_advisory_unlock(729, 1)').catch(() => undefined);
    client.release();
  }
}

const PREFIX: Record<Operation, string> = { capture: 'pay', payout: 'po', refund: 're' };
const EVENT: Record<Operation, [ProviderEventType, ProviderEventType | undefined]> = {
  capture: ['capture.succeeded', 'capture.failed'],
  payout: ['payout.succeeded', 'payout.failed'],
  refund: ['refund.succeeded', undefined],
};

/**
 * A deterministic payment provider for development and tests. Its ledger lives in PostgreSQL (`sim_provider_*`):
 * operations deduplicated by idempotency key, and an outbox of webhooks a `WebhookDeliverer` signs and posts. Several
 * processes may use it at once (the table is the provider).
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  constructor(
    private readonly pool: Pool,
    private readonly options: SimulatedProviderOptions,
  ) {}

  capture(request: CaptureRequest): Promise<ProviderAnswer> {
    return this.operate('capture', request, request.payer, this.options.captureDeclineRate ?? 0);
  }

  disburse(request: PayoutRequest): Promise<ProviderAnswer> {
    return this.operate('payout', request, request.payee, this.options.payoutDeclineRate ?? 0);
  }

  refund(request: RefundRequest): Promise<ProviderAnswer> {
    return this.operate('refund', request, request.paymentId, 0);
  }

  /** A number in [0, 1) drawn from (seed, parts). */
  chance(...parts: string[]): number {
    return parseInt(this.hash(...parts).slice(0, 8), 16) / 0x1_0000_0000;
  }

  private hash(...parts: string[]): string {
    return createHash('sha256').update([this.options.seed, ...parts].join('\n')).digest('hex');
  }

  private async operate(op: Operation, request: CaptureRequest | PayoutRequest | RefundRequest, counterparty: string, declineRate: number): Promise<ProviderAnswer> {
    const latency = this.options.latencyMs ?? 0;
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const key = request.idempotencyKey;
    const timesOut = this.chance('timeout', key) < (this.options.timeoutRate ?? 0);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const firstCall = timesOut && (await client.query('INSERT INTO sim_provider_first_calls VALUES ($1) ON CONFLICT DO NOTHING', [key])).rowCount === 1;
      if (firstCall && this.options.timeoutMode !== 'after') {
        await client.query('COMMIT');
        throw new ProviderUnavailable(`simulated timeout before ${op} ${key}`);
      }
      const row = await this.record(client, op, request, counterparty, declineRate);
      await client.query('COMMIT');
      if (firstCall) throw new ProviderUnavailable(`simulated timeout after ${op} ${key}`);
      return { status: 'accepted', providerId: row.provider_id };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async record(client: PoolClient, op: Operation, request: CaptureRequest | PayoutRequest | RefundRequest, counterparty: string, declineRate: number): Promise<OperationRow> {
    const key = request.idempotencyKey;
    const minor = parseAmount(request.amount, request.currency);
    let outcome: 'succeeded' | 'failed' = this.chance('decline', key) < declineRate ? 'failed' : 'succeeded';
    let reason: string | null = outcome === 'failed' ? `simulated ${op} decline` : null;
    if (op === 'refund' && 'paymentId' in request) {
      const left = await client.query<{ left: string | null }>(
        `SELECT (SELECT amount_minor FROM sim_provider_operations WHERE provider_id = $1 AND op = 'capture' AND outcome = 'succeeded')
              - coalesce((SELECT sum(amount_minor) FROM sim_provider_operations WHERE op = 'refund' AND counterparty = $1 AND outcome = 'succeeded'), 0) AS left`,
        [request.paymentId],
      );
      const available = left.rows[0]?.left;
      if (available === null || available === undefined || BigInt(available) < minor) [outcome, reason] = ['failed', 'nothing left to refund'];
    }
    const res = await client.query<OperationRow>(
      `INSERT INTO sim_provider_operations (idempotency_key, op, provider_id, amount_minor, currency, counterparty, metadata, outcome, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (idempotency_key) DO UPDATE SET calls = sim_provider_operations.calls + 1
       RETURNING provider_id, op, amount_minor::text, currency, outcome, reason, (xmax = 0) AS inserted`,
      [key, op, `${PREFIX[op]}_${this.hash('id', key).slice(0, 24)}`, minor.toString(), request.currency, counterparty, request.metadata, outcome, reason],
    );
    const row = res.rows[0];
    if (row === undefined) throw new Error('the simulated provider recorded nothing');
    if (row.op !== op || BigInt(row.amount_minor) !== minor || row.currency !== request.currency) {
      throw new Error(`idempotency key ${key} was used for another operation`);
    }
    if (row.inserted) await this.enqueueWebhooks(client, op, request, row);
    return row;
  }

  private async enqueueWebhooks(client: PoolClient, op: Operation, request: CaptureRequest | PayoutRequest | RefundRequest, row: OperationRow): Promise<void> {
    const [succeeded, failed] = EVENT[op];
    const type = row.outcome === 'succeeded' ? succeeded : failed;
    if (type === undefined) return;
    const key = request.idempotencyKey;
    const metadata: PaymentMetadata = request.metadata;
    const event: ProviderEvent = {
      id: `evt_${this.hash('event', key, type).slice(0, 24)}`,
      type,
      created: Math.floor(Date.now() / 1000),
      data: { objectId: row.provider_id, idempotencyKey: key, amount: request.amount, currency: request.currency, metadata, reason: row.reason },
    };
    const maxDelay = this.options.maxWebhookDelayMs ?? 0;
    const copies = this.chance('duplicate', key) < (this.options.duplicateWebhookRate ?? 0) ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      const delay = Math.floor(this.chance('delay', key, String(copy)) * maxDelay) + copy * Math.max(50, maxDelay);
      await client.query(`INSERT INTO sim_provider_outbox (event_id, payload, deliver_after) VALUES ($1, $2, now() + make_interval(secs => $3::float8 / 1000))`, [
        event.id,
        event,
        delay,
      ]);
    }
  }
}
