import { randomUUID } from 'node:crypto';
import { metricCatalog, type MetricDefinition } from '../../shared/gedsi-catalog';
import { formatAmount } from '../../shared/money';
import { expect as expectRevision, type EventStore, type ExpectedRevision, type NewEvent } from '../../write-model/event-store/event-store.port';

/** One append the workload wants: a stream, its events and the expected revision. */
export interface PlannedAppend {
  readonly streamId: string;
  readonly events: NewEvent[];
  readonly expected: ExpectedRevision;
}

interface Venture {
  readonly id: string;
  readonly tenant: string;
  stage: string;
  revision: number;
  gedsiRevision: number;
}

interface Request {
  readonly id: string;
  readonly tenant: string;
  readonly currency: string;
  readonly requested: bigint;
  committed: bigint;
  captured: bigint;
  revision: number;
}

const SECTORS = ['Energy', 'Agriculture', 'Health', 'Education', 'Fintech', 'Water', 'Housing', 'Logistics'];
const COUNTRIES = ['KE', 'NG', 'GH', 'IN', 'BD', 'PE', 'CO', 'VN', 'UG', 'TZ'];
const STAGES = ['IDEA', 'PRE_SEED', 'SEED', 'SERIES_A', 'GROWTH'] as const;
const CURRENCIES = ['USD', 'EUR', 'KES', 'JPY'];
const INSTRUMENTS = ['GRANT', 'EQUITY', 'DEBT', 'CONVERTIBLE', 'GUARANTEE'];
const PERIODS = ['2024', '2025-H1', '2025-H2', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2'];
const WORDS = ['solar', 'clinic', 'micro', 'loans', 'women', 'farmers', 'clean', 'water', 'mobile', 'learning', 'cold', 'chain', 'housing', 'textile'];

/** A small deterministic PRNG (mulberry32): the same seed gives the same workload shape. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A realistic, schema-valid mix of appends for tests and benchmarks: many ventures, bursts of GEDSI metric
 * updates (some in the legacy v1 shape, so reads upcast), verifications, capital requests, commitments and
 * captures that respect the domain's totals.
 */
export class Workload {
  private readonly random: () => number;
  private readonly ventures: Venture[] = [];
  /** The most recent requests: commitments and captures go to these (bounded, so generating stays O(1)). */
  private readonly requests: Request[] = [];
  private readonly metrics: readonly MetricDefinition[] = metricCatalog();
  private readonly values = new Map<string, number>();
  private counter = 0;

  constructor(
    seed = 1,
    private readonly tenants: readonly string[] = ['tenant-a', 'tenant-b', 'tenant-c'],
  ) {
    this.random = prng(seed);
  }

  next(): PlannedAppend {
    const r = this.random();
    if (this.ventures.length < 5 || r < 0.08) return this.createVenture();
    if (r < 0.12) return this.updateProfile();
    if (r < 0.14) return this.changeStage();
    if (r < 0.62) return this.recordMetrics();
    if (r < 0.72) return this.requestCapital();
    if (this.requests.length === 0 || r < 0.86) return this.commit();
    return this.capture();
  }

  /** Appends until at least `events` events were written, `concurrency` appends at a time. */
  async appendAtLeast(store: EventStore, events: number, concurrency = 8): Promise<number> {
    let written = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (written < events) {
          const planned = this.next();
          written += planned.events.length;
          await store.append(planned.streamId, planned.events, planned.expected);
        }
      }),
    );
    return written;
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)] as T;
  }

  private event(tenant: string, type: string, data: Record<string, unknown>, schemaVersion = 1): NewEvent {
    this.counter += 1;
    return {
      eventId: randomUUID(),
      type,
      schemaVersion,
      data,
      metadata: {
        commandId: `cmd-${this.counter}`,
        correlationId: randomUUID(),
        causationId: randomUUID(),
        actor: `user-${1 + Math.floor(this.random() * 50)}`,
        tenant,
      },
    };
  }

  private createVenture(): PlannedAppend {
    const tenant = this.pick(this.tenants);
    const stage = this.pick(STAGES);
    const v: Venture = { id: randomUUID(), tenant, stage, revision: 0, gedsiRevision: -1 };
    this.ventures.push(v);
    const name = `${this.pick(WORDS)} ${this.pick(WORDS)} ${this.counter}`;
    const description = this.random() < 0.2 ? null : `${this.pick(WORDS)} ${this.pick(WORDS)} for ${this.pick(WORDS)} ${this.pick(WORDS)}`;
    const data = { ventureId: v.id, name, sector: this.pick(SECTORS), country: this.pick(COUNTRIES), stage, description };
    return { streamId: `venture-${v.id}`, events: [this.event(tenant, 'VentureCreated', data)], expected: expectRevision.noStream };
  }

  private updateProfile(): PlannedAppend {
    const v = this.pick(this.ventures);
    const changes = this.random() < 0.5 ? { sector: this.pick(SECTORS) } : { name: `${this.pick(WORDS)} renamed ${this.counter}`, country: this.pick(COUNTRIES) };
    v.revision += 1;
    return { streamId: `venture-${v.id}`, events: [this.event(v.tenant, 'VentureProfileUpdated', { ventureId: v.id, changes })], expected: expectRevision.any };
  }

  private changeStage(): PlannedAppend {
    const v = this.pick(this.ventures);
    const to = this.pick(STAGES.filter((s) => s !== v.stage));
    const event = this.event(v.tenant, 'VentureStageChanged', { ventureId: v.id, from: v.stage, to });
    v.stage = to;
    v.revision += 1;
    return { streamId: `venture-${v.id}`, events: [event], expected: expectRevision.any };
  }

  private metricValue(m: MetricDefinition): number {
    if (m.unit === 'flag') return this.random() < 0.6 ? 1 : 0;
    const min = m.min ?? 0;
    const max = m.max ?? min + 5000;
    return Math.round((min + this.random() * (max - min)) * 10) / 10;
  }

  private recordMetrics(): PlannedAppend {
    const v = this.pick(this.ventures);
    const events: NewEvent[] = [];
    const count = 1 + Math.floor(this.random() * 6);
    for (let i = 0; i < count; i++) {
      const m = this.pick(this.metrics);
      const period = this.pick(PERIODS);
      const key = `${v.id}|${m.metricId}|${period}`;
      const previous = this.values.get(key);
      if (previous !== undefined && this.random() < 0.3) {
        events.push(this.event(v.tenant, 'GEDSIMetricVerified', { ventureId: v.id, metricId: m.metricId, period, value: previous, verifiedBy: 'verifier-1' }));
        continue;
      }
      const value = this.metricValue(m);
      if (value === previous) continue;
      this.values.set(key, value);
      events.push(
        this.random() < 0.1
          ? this.event(v.tenant, 'GEDSIMetricUpdated', { ventureId: v.id, metricId: m.metricId, period, value }, 1)
          : this.event(v.tenant, 'GEDSIMetricUpdated', { ventureId: v.id, metricId: m.metricId, period, oldValue: previous ?? null, newValue: value, unit: m.unit }, 2),
      );
    }
    if (events.length === 0) return this.recordMetrics();
    v.gedsiRevision += events.length;
    return { streamId: `gedsi-${v.id}`, events, expected: expectRevision.any };
  }

  private requestCapital(): PlannedAppend {
    const v = this.pick(this.ventures);
    const currency = this.pick(CURRENCIES);
    const digits = currency === 'JPY' ? 0 : 2;
    const requested = BigInt(1000 + Math.floor(this.random() * 500_000)) * 10n ** BigInt(digits);
    const r: Request = { id: randomUUID(), tenant: v.tenant, currency, requested, committed: 0n, captured: 0n, revision: 0 };
    this.requests.push(r);
    if (this.requests.length > 300) this.requests.shift();
    const data = { capitalRequestId: r.id, ventureId: v.id, amount: formatAmount(requested, currency), currency, instrument: this.pick(INSTRUMENTS), purpose: `${this.pick(WORDS)} expansion` };
    return { streamId: `capital-${r.id}`, events: [this.event(v.tenant, 'CapitalRequested', data)], expected: expectRevision.noStream };
  }

  private commit(): PlannedAppend {
    const open = this.requests.filter((r) => r.committed < r.requested);
    if (open.length === 0) return this.requestCapital();
    const r = this.pick(open);
    const amount = r.committed === 0n && this.random() < 0.5 ? r.requested : 1n + BigInt(Math.floor(this.random() * Number(r.requested - r.committed)));
    r.committed += amount;
    r.revision += 1;
    const data = { capitalRequestId: r.id, investorId: randomUUID(), amount: formatAmount(amount, r.currency), currency: r.currency, totalCommitted: formatAmount(r.committed, r.currency) };
    return { streamId: `capital-${r.id}`, events: [this.event(r.tenant, 'InvestmentCommitted', data)], expected: expectRevision.any };
  }

  private capture(): PlannedAppend {
    const open = this.requests.filter((r) => r.captured < r.committed);
    if (open.length === 0) return this.commit();
    const r = this.pick(open);
    const amount = r.committed - r.captured;
    r.captured += amount;
    r.revision += 1;
    const data = { capitalRequestId: r.id, paymentId: `pay-${this.counter}`, amount: formatAmount(amount, r.currency), currency: r.currency, totalCaptured: formatAmount(r.captured, r.currency) };
    return { streamId: `capital-${r.id}`, events: [this.event(r.tenant, 'PaymentCaptured', data)], expected: expectRevision.any };
  }
}
