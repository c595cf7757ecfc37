import type { Pool } from 'pg';
import type { Logger } from '../../infra/logger';
import { signatureHeader } from './webhook-signature';

/** Posts one signed webhook; resolves with the HTTP status (or throws when it could not be delivered). */
export type WebhookSink = (body: string, signature: string) => Promise<number>;

export interface WebhookDelivererOptions {
  readonly pool: Pool;
  readonly secret: string;
  readonly sink: WebhookSink;
  readonly logger: Logger;
  readonly pollMs?: number;
  readonly concurrency?: number;
}

/**
 * The simulated provider's webhook sender: takes due deliveries from its outbox (FOR UPDATE SKIP LOCKED, so several
 * senders share the work), signs each with the current time, and retries a delivery that was not answered 2xx with
 * backoff, like real providers. Delivery order follows `deliver_after`, which the provider jitters: out of order.
 */
export class WebhookDeliverer {
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: WebhookDelivererOptions) {}

  start(): void {
    if (this.loop !== undefined) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    this.loop = undefined;
  }

  /** Delivers what is due now; returns how many deliveries were attempted. */
  async deliverDue(limit = 200): Promise<number> {
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      const due = await client.query<{ seq: string; payload: unknown; attempts: number }>(
        `SELECT seq, payload, attempts FROM sim_provider_outbox WHERE delivered_at IS NULL AND deliver_after <= now()
          ORDER BY deliver_after, seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      const delivered: string[] = [];
      const failed: { seq: string; error: string; attempts: number }[] = [];
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let i = next++; i < due.rows.length; i = next++) {
          const row = due.rows[i];
          if (row === undefined) continue;
          const body = JSON.stringify(row.payload);
          try {
            const status = await this.options.sink(body, signatureHeader(this.options.secret, Math.floor(Date.now() / 1000), body));
            if (status >= 200 && status < 300) delivered.push(row.seq);
            else failed.push({ seq: row.seq, error: `HTTP ${status}`, attempts: row.attempts + 1 });
          } catch (error: unknown) {
            failed.push({ seq: row.seq, error: error instanceof Error ? error.message : String(error), attempts: row.attempts + 1 });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(due.rows.length, this.options.concurrency ?? 8) }, worker));
      await client.query('UPDATE sim_provider_outbox SET delivered_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])', [delivered]);
      for (const f of failed) {
        const delayMs = Math.min(60_000, 200 * 2 ** Math.min(f.attempts, 10));
        await client.query(
          `UPDATE sim_provider_outbox SET attempts = $2, last_error = $3, deliver_after = now() + make_interval(secs => $4::float8 / 1000) WHERE seq = $1`,
          [f.seq, f.attempts, f.error.slice(0, 500), delayMs],
        );
      }
      await client.query('COMMIT');
      return due.rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async run(): Promise<void> {
    const pollMs = this.options.pollMs ?? 20;
    while (!this.stopped) {
      let count = 0;
      try {
        count = await this.deliverDue();
      } catch (error: unknown) {
        this.options.logger.warn({ err: error }, 'simulated provider: webhook delivery failed');
      }
      if (count === 0) await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}

/** A sink posting to an HTTP endpoint (the app's `POST /webhooks/payments`). */
export const httpSink =
  (url: string): WebhookSink =>
  async (body, signature) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-payment-signature': signature }, body });
    return response.status;
  };
