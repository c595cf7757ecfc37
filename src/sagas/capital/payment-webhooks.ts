import type { Pool } from 'pg';
import type { Logger } from '../../infra/logger';
import { DomainError } from '../../shared/decider';
import { SchemaValidationError } from '../../shared/schemas/schema-validation-error';
import type { CommandMetadata } from '../../write-model/command-runner';
import { deriveCommandId } from '../runtime/dispatch';
import { commandForProviderEvent, parseProviderEvent, type CapitalCommandInput } from './provider-events';
import { DEFAULT_TOLERANCE_SECONDS, verifySignature } from './webhook-signature';

/** The provider event ids already handled (replays and duplicate deliveries are answered without effect). */
export interface WebhookInbox {
  seen(providerEventId: string): Promise<boolean>;
  record(providerEventId: string, type: string, outcome: string): Promise<void>;
}

export class PgWebhookInbox implements WebhookInbox {
  constructor(private readonly pool: Pool) {}

  async seen(providerEventId: string): Promise<boolean> {
    const res = await this.pool.query('SELECT 1 FROM payment_webhook_inbox WHERE provider_event_id = $1', [providerEventId]);
    return res.rowCount !== null && res.rowCount > 0;
  }

  async record(providerEventId: string, type: string, outcome: string): Promise<void> {
    await this.pool.query('INSERT INTO payment_webhook_inbox (provider_event_id, type, outcome) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      providerEventId,
      type,
      outcome.slice(0, 500),
    ]);
  }
}

export interface WebhookReply {
  readonly status: number;
  readonly body: { readonly status: string; readonly message?: string };
}

export interface PaymentWebhookReceiverDeps {
  readonly secret: string;
  readonly inbox: WebhookInbox;
  /** Runs a capital command (through the command bus in the API). */
  readonly run: (command: CapitalCommandInput, metadata: CommandMetadata) => Promise<unknown>;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly toleranceSeconds?: number;
}

export const WEBHOOK_ACTOR = 'provider:payments';

/**
 * `POST /webhooks/payments`: verifies the HMAC signature over the raw body, refuses stale timestamps, answers a
 * replayed or duplicate delivery without effect, and turns the provider event into a capital command whose id derives
 * from the provider's event id (so even two deliveries racing past the inbox apply once). A refusal by the domain is
 * answered 200 (the provider must not retry it forever) and logged; a failure of ours is 503 (the provider retries).
 */
export class PaymentWebhookReceiver {
  constructor(private readonly deps: PaymentWebhookReceiverDeps) {}

  async receive(rawBody: string, signatureHeader: string | undefined): Promise<WebhookReply> {
    const { deps } = this;
    const now = deps.now?.() ?? new Date();
    const verified = verifySignature(deps.secret, rawBody, signatureHeader, Math.floor(now.getTime() / 1000), deps.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
    if (!verified.ok) {
      deps.logger.warn({ reason: verified.reason }, 'payment webhook refused: signature');
      return verified.reason === 'stale'
        ? { status: 400, body: { status: 'rejected', message: 'the signature timestamp is older than the tolerance' } }
        : { status: 401, body: { status: 'rejected', message: `signature ${verified.reason}` } };
    }
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return { status: 400, body: { status: 'rejected', message: 'the body is not JSON' } };
    }
    const parsed = parseProviderEvent(json);
    if ('problem' in parsed) return { status: 400, body: { status: 'rejected', message: parsed.problem } };
    const { event } = parsed;
    let command: CapitalCommandInput;
    try {
      command = commandForProviderEvent(event);
    } catch (error: unknown) {
      return { status: 400, body: { status: 'rejected', message: error instanceof Error ? error.message : String(error) } };
    }
    const log = deps.logger.child({ providerEventId: event.id, type: event.type, correlationId: event.data.metadata.correlationId });
    try {
      if (await deps.inbox.seen(event.id)) return { status: 200, body: { status: 'duplicate' } };
      const metadata: CommandMetadata = {
        commandId: deriveCommandId('payment-webhook', event.id),
        correlationId: event.data.metadata.correlationId,
        causationId: event.id,
        actor: WEBHOOK_ACTOR,
        tenant: event.data.metadata.tenant,
        now: now.toISOString(),
      };
      const outcome = await this.apply(command, metadata);
      await deps.inbox.record(event.id, event.type, outcome);
      if (outcome !== 'applied') log.warn({ outcome }, 'payment webhook refused by the domain');
      return { status: 200, body: outcome === 'applied' ? { status: 'applied' } : { status: 'refused', message: outcome } };
    } catch (error: unknown) {
      log.error({ err: error }, 'payment webhook failed: the provider will retry');
      return { status: 503, body: { status: 'retry' } };
    }
  }

  private async apply(command: CapitalCommandInput, metadata: CommandMetadata): Promise<string> {
    try {
      await this.deps.run(command, metadata);
      return 'applied';
    } catch (error: unknown) {
      if (error instanceof DomainError || error instanceof SchemaValidationError) return `${error.name}: ${error.message}`;
      throw error;
    }
  }
}
