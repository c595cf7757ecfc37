import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { loadAggregate } from '../../app/cqrs/load-aggregate';
import type { Logger } from '../../infra/logger';
import { SchemaRegistry } from '../../shared/schemas/schema-registry';
import type { CapitalCommand } from '../../write-model/capital/domain/capital.commands';
import { capitalDecider, streamId as capitalStreamId } from '../../write-model/capital/domain/capital.decider';
import type { CapitalInstrument } from '../../write-model/capital/domain/capital.events';
import type { CapitalState } from '../../write-model/capital/domain/capital.state';
import { CommandRunner, type CommandMetadata } from '../../write-model/command-runner';
import { createEventStore } from '../../write-model/event-store/create-event-store';
import type { EventStore, StoredEvent, Subscription } from '../../write-model/event-store/event-store.port';
import { ValidatingEventStore } from '../../write-model/event-store/validating-event-store';
import { gedsiDecider, streamId as gedsiStreamId } from '../../write-model/gedsi/domain/gedsi.decider';
import { investorDecider, streamId as investorStreamId } from '../../write-model/investor/domain/investor.decider';
import { streamId as ventureStreamId, ventureDecider } from '../../write-model/venture/domain/venture.decider';
import { metricCatalog } from '../../shared/gedsi-catalog';
import { formatAmount, parseAmount } from '../../shared/money';
import { migrateSimulatedProvider } from '../capital/simulated-provider';
import { PaymentWebhookReceiver, PgWebhookInbox } from '../capital/payment-webhooks';
import { WebhookDeliverer, type WebhookSink } from '../capital/webhook-deliverer';
import { deriveCommandId } from '../runtime/dispatch';
import { migrateSagas } from '../runtime/migrations';

export const WEBHOOK_SECRET = 'test-webhook-secret-test-webhook-secret';
export const FINAL_STATUSES = ['DISBURSED', 'REJECTED', 'EXPIRED', 'CANCELLED'];

export interface LedgerRow {
  readonly op: 'capture' | 'payout' | 'refund';
  readonly capitalRequestId: string;
  readonly commitment: string | null;
  readonly amountMinor: bigint;
  readonly outcome: 'succeeded' | 'failed';
  readonly calls: number;
}

/** How the test's people act: analysts approve, the proposed investors commit `shares` of the request. */
export interface DriverPlan {
  readonly approve?: (capitalRequestId: string) => boolean;
  /** Whether the proposed investors commit at all (default: they do). */
  readonly commit?: (capitalRequestId: string) => boolean;
  /** Shares of the requested amount, one per proposed investor (in proposal order); the last takes the remainder. */
  readonly shares?: readonly number[];
}

/**
 * Everything a capital flow needs around the saga worker, in process: the log, a command runner acting as the people
 * (founders, analysts, investors), the simulated provider's webhook deliverer and our webhook receiver.
 */
export class CapitalFlowHarness {
  private driver: Subscription | undefined;
  readonly receiver: PaymentWebhookReceiver;
  readonly deliverer: WebhookDeliverer;

  private constructor(
    readonly databaseUrl: string,
    readonly store: EventStore,
    readonly runner: CommandRunner,
    readonly pool: Pool,
    readonly logger: Logger,
    sink?: WebhookSink,
  ) {
    this.receiver = new PaymentWebhookReceiver({
      secret: WEBHOOK_SECRET,
      inbox: new PgWebhookInbox(pool),
      logger,
      run: (command, metadata) => this.runCapital({ ...command, context: { now: metadata.now, actor: metadata.actor, tenant: metadata.tenant } }, metadata),
    });
    this.deliverer = new WebhookDeliverer({
      pool,
      secret: WEBHOOK_SECRET,
      logger,
      pollMs: 10,
      concurrency: 16,
      sink: sink ?? (async (body, signature) => (await this.receiver.receive(body, signature)).status),
    });
  }

  static async create(databaseUrl: string, options: { sink?: WebhookSink; logger?: Logger } = {}): Promise<CapitalFlowHarness> {
    await migrateSagas(databaseUrl);
    const schemas = new SchemaRegistry();
    const store = new ValidatingEventStore(await createEventStore({ databaseUrl }), schemas);
    const pool = new Pool({ connectionString: databaseUrl, max: 8 });
    pool.on('error', () => undefined);
    await migrateSimulatedProvider(pool);
    const logger = options.logger ?? pino({ level: 'silent' });
    return new CapitalFlowHarness(databaseUrl, store, new CommandRunner(store, schemas), pool, logger, options.sink);
  }

  metadata(tenant: string, actor: string, commandId: string = randomUUID()): CommandMetadata {
    return { commandId, correlationId: randomUUID(), causationId: commandId, actor, tenant, now: new Date().toISOString() };
  }

  async runCapital(command: CapitalCommand, metadata: CommandMetadata): Promise<void> {
    const { capitalRequestId } = command.data;
    await this.runner.run({ decider: capitalDecider, streamId: capitalStreamId(capitalRequestId), aggregateId: capitalRequestId, command, metadata });
  }

  /** A venture with verified values of every metric any instrument needs (ready for capital), unless `ready` is false. */
  async createVenture(tenant: string, profile: { sector?: string; country?: string; ready?: boolean } = {}): Promise<string> {
    const ventureId = randomUUID();
    const m = this.metadata(tenant, 'founder');
    const context = { now: m.now, actor: m.actor, tenant };
    const data = { ventureId, name: `Venture ${ventureId}`, sector: profile.sector ?? 'Energy', country: profile.country ?? 'KE', stage: 'SEED' as const, description: null };
    await this.runner.run({ decider: ventureDecider, streamId: ventureStreamId(ventureId), aggregateId: ventureId, command: { type: 'CreateVenture', data, context }, metadata: m });
    if (profile.ready !== false) {
      const required = metricCatalog().filter((metric) => metric.requiredFor.length > 0);
      await this.recordMetrics(tenant, ventureId, required.map((metric) => ({ metricId: metric.metricId, value: metric.unit === 'flag' ? 1 : 40 })));
      await this.verifyMetrics(tenant, ventureId, required.map((metric) => metric.metricId));
    }
    return ventureId;
  }

  async recordMetrics(tenant: string, ventureId: string, values: readonly { metricId: string; value: number; period?: string }[]): Promise<void> {
    for (const { metricId, value, period } of values) {
      const m = this.metadata(tenant, 'founder');
      const command = { type: 'RecordGEDSIMetric' as const, data: { ventureId, metricId, value, period: period ?? '2025' }, context: { now: m.now, actor: 'founder', tenant } };
      await this.runner.run({ decider: gedsiDecider, streamId: gedsiStreamId(ventureId), aggregateId: ventureId, command, metadata: m });
    }
  }

  async verifyMetrics(tenant: string, ventureId: string, metricIds: readonly string[], period = '2025'): Promise<void> {
    for (const metricId of metricIds) {
      const m = this.metadata(tenant, 'analyst');
      const command = { type: 'VerifyGEDSIMetric' as const, data: { ventureId, metricId, period }, context: { now: m.now, actor: 'analyst', tenant } };
      await this.runner.run({ decider: gedsiDecider, streamId: gedsiStreamId(ventureId), aggregateId: ventureId, command, metadata: m });
    }
  }

  async registerInvestor(tenant: string, profile: { sectors?: string[]; countries?: string[]; instruments?: CapitalInstrument[]; currency?: string } = {}): Promise<string> {
    const investorId = randomUUID();
    const m = this.metadata(tenant, 'admin');
    const data = {
      investorId,
      name: `Investor ${investorId.slice(0, 8)}`,
      sectors: profile.sectors ?? ['Energy'],
      countries: profile.countries ?? [],
      instruments: profile.instruments ?? ['GRANT', 'EQUITY', 'DEBT', 'CONVERTIBLE', 'GUARANTEE'],
      currency: profile.currency ?? 'USD',
      minTicket: '1.00',
      maxTicket: '1000000.00',
    };
    await this.runner.run({
      decider: investorDecider,
      streamId: investorStreamId(investorId),
      aggregateId: investorId,
      command: { type: 'RegisterInvestor', data, context: { now: m.now, actor: 'admin', tenant } },
      metadata: m,
    });
    return investorId;
  }

  async requestCapital(tenant: string, ventureId: string, amount = '1000.00', instrument: CapitalInstrument = 'GRANT', currency = 'USD', capitalRequestId: string = randomUUID()): Promise<string> {
    const m = this.metadata(tenant, 'founder');
    await this.runCapital(
      { type: 'RequestCapital', data: { capitalRequestId, ventureId, amount, currency, instrument, purpose: 'Solar kits' }, context: { now: m.now, actor: 'founder', tenant } },
      m,
    );
    return capitalRequestId;
  }

  /** Reacts to the log as the people would: approves due diligence and commits from the proposed investors. */
  startDriver(plan: DriverPlan = {}): void {
    const shares = plan.shares ?? [0.6, 0.4];
    this.driver = this.store.subscribe({
      onEvents: async (events) => {
        await Promise.all(events.map((event) => this.drive(event, plan, shares)));
      },
      onError: (error) => this.logger.error({ err: error }, 'test driver failed'),
    });
  }

  private async drive(event: StoredEvent, plan: DriverPlan, shares: readonly number[]): Promise<void> {
    const tenant = event.metadata.tenant;
    const capitalRequestId = String(event.data['capitalRequestId']);
    const context = (actor: string) => ({ now: new Date().toISOString(), actor, tenant });
    if (event.type === 'DueDiligenceStarted' && (plan.approve?.(capitalRequestId) ?? true)) {
      const m = this.metadata(tenant, 'analyst', deriveCommandId('driver', event.eventId));
      await this.runCapital({ type: 'ApproveDueDiligence', data: { capitalRequestId }, context: context('analyst') }, m).catch(() => undefined);
    }
    if (event.type === 'CapitalProposed' && (plan.commit?.(capitalRequestId) ?? true)) {
      const investorIds = event.data['investorIds'] as string[];
      const { state } = await loadAggregate(this.store, capitalDecider, capitalStreamId(capitalRequestId));
      if (state.status === 'NONE') return;
      let left = state.requested - state.committed;
      const takers = investorIds.slice(0, shares.length);
      for (const [index, investorId] of takers.entries()) {
        const last = index === takers.length - 1;
        const share = (state.requested * BigInt(Math.round((shares[index] ?? 0) * 1000))) / 1000n;
        const part = last || share > left ? left : share;
        if (part <= 0n) continue;
        left -= part;
        const amount = formatAmount(part, state.currency);
        const m = this.metadata(tenant, investorId, deriveCommandId('driver', event.eventId, index));
        await this.runCapital({ type: 'CommitInvestment', data: { capitalRequestId, investorId, amount, currency: state.currency }, context: context(investorId) }, m).catch(
          (error: unknown) => this.logger.warn({ err: error }, 'test driver: commitment refused'),
        );
      }
    }
  }

  async capital(capitalRequestId: string): Promise<CapitalState> {
    return (await loadAggregate(this.store, capitalDecider, capitalStreamId(capitalRequestId))).state;
  }

  async statusOf(capitalRequestId: string): Promise<string> {
    return (await this.capital(capitalRequestId)).status;
  }

  /** Waits until every request reached one of `statuses` (and holds no money in flight), or throws after `timeoutMs`. */
  async waitForAll(ids: readonly string[], statuses: readonly string[] = FINAL_STATUSES, timeoutMs = 60_000): Promise<Map<string, CapitalState>> {
    const deadline = Date.now() + timeoutMs;
    const done = new Map<string, CapitalState>();
    for (;;) {
      for (const id of ids) {
        if (done.has(id)) continue;
        const state = await this.capital(id);
        if (state.status !== 'NONE' && statuses.includes(state.status) && settled(state)) done.set(id, state);
      }
      if (done.size === ids.length) return done;
      if (Date.now() > deadline) {
        const pending = await Promise.all(ids.filter((id) => !done.has(id)).slice(0, 3).map((id) => this.describe(id)));
        throw new Error(`${ids.length - done.size} of ${ids.length} flows did not finish in ${timeoutMs} ms, e.g. ${pending.join('; ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A stuck flow, for a failure message: its status and its last events. */
  async describe(capitalRequestId: string): Promise<string> {
    const events = await this.store.readStream(capitalStreamId(capitalRequestId));
    const last = events.slice(-4).map((e) => `${e.type}(${e.metadata.actor})`);
    const timers = await this.pool.query<{ local_id: string; fired: boolean; cancelled: boolean }>(
      'SELECT local_id, fired_at IS NOT NULL AS fired, cancelled_at IS NOT NULL AS cancelled FROM saga_timers WHERE key = $1',
      [capitalRequestId],
    );
    return `${capitalRequestId}: ${await this.statusOf(capitalRequestId)} after ${last.join(', ')}; timers ${JSON.stringify(timers.rows)}`;
  }

  /** The simulated provider's own ledger. */
  async ledger(): Promise<LedgerRow[]> {
    const res = await this.pool.query<{ op: LedgerRow['op']; capital_request_id: string; commitment: string | null; amount_minor: string; outcome: LedgerRow['outcome']; calls: number }>(
      `SELECT op, metadata->>'capitalRequestId' AS capital_request_id, metadata->>'commitment' AS commitment, amount_minor::text, outcome, calls
         FROM sim_provider_operations ORDER BY created_at`,
    );
    return res.rows.map((r) => ({ op: r.op, capitalRequestId: r.capital_request_id, commitment: r.commitment, amountMinor: BigInt(r.amount_minor), outcome: r.outcome, calls: r.calls }));
  }

  async close(): Promise<void> {
    await this.driver?.close();
    await this.deliverer.stop();
    await this.store.close();
    await this.pool.end();
  }
}

/** A final request with no capture in flight and (unless disbursed) nothing held. */
export function settled(state: CapitalState): boolean {
  if (state.status === 'NONE') return false;
  if (state.commitments.some((c) => c.capture === 'REQUESTED')) return false;
  return state.phase === 'DISBURSED' || state.captured === state.refunded;
}

export const minor = (amount: string, currency = 'USD'): bigint => parseAmount(amount, currency);
