import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { DomainError } from '../shared/decider';
import { schemaRegistry } from '../shared/schemas/schema-registry';
import { SchemaValidationError } from '../shared/schemas/schema-validation-error';
import { CommandRunner, type CommandMetadata } from './command-runner';
import { PostgresEventStore } from './event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from './event-store/validating-event-store';
import { streamId, ventureDecider } from './venture/domain/venture.decider';
import { VentureNameReservations } from './venture/venture-name-reservations';

describe('CommandRunner against PostgreSQL', () => {
  let db: TestDatabase;
  let raw: PostgresEventStore;
  let runner: CommandRunner;
  let names: VentureNameReservations;

  beforeAll(async () => {
    db = await createTestDatabase('runner');
    raw = await PostgresEventStore.create({ connectionString: db.url });
    const store = new ValidatingEventStore(raw, schemaRegistry());
    runner = new CommandRunner(store, schemaRegistry());
    names = new VentureNameReservations(store);
  });
  afterAll(async () => {
    await raw.close();
    await db.drop();
  });

  const meta = (tenant = 'acme', commandId: string = randomUUID()): CommandMetadata => ({
    commandId, correlationId: randomUUID(), causationId: commandId, actor: 'alice', tenant, now: '2026-11-22T10:00:00.000Z',
  });
  const create = (id: string, m: CommandMetadata, name = `Venture ${id}`): Promise<unknown> =>
    runner.run({
      decider: ventureDecider, streamId: streamId(id), aggregateId: id, metadata: m,
      command: { type: 'CreateVenture', data: { ventureId: id, name, sector: 'agritech', country: 'KE', stage: 'SEED' }, context: m },
    });
  const rename = (id: string, m: CommandMetadata, description: string, expectedRevision?: number): Promise<unknown> =>
    runner.run({
      decider: ventureDecider, streamId: streamId(id), aggregateId: id, metadata: m, expectedRevision,
      command: { type: 'UpdateVentureProfile', data: { ventureId: id, description }, context: m },
    });

  it('returns the first result for a repeated commandId and appends nothing', async () => {
    const id = randomUUID();
    const m = meta();
    const first = await create(id, m);
    const head = await raw.headPosition();
    await expect(create(id, m)).resolves.toEqual(first);
    expect(await raw.headPosition()).toBe(head);
  });

  it('refuses a commandId reused for a different aggregate', async () => {
    const m = meta();
    await create(randomUUID(), m);
    await expect(create(randomUUID(), m)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('retries a conflict when the client sent no expected revision, so every concurrent update lands', async () => {
    const id = randomUUID();
    await create(id, meta());
    await Promise.all(Array.from({ length: 6 }, (_, i) => rename(id, meta(), `description ${i}`)));
    expect(await raw.streamRevision(streamId(id))).toBe(6);
  });

  it('answers CONFLICT for a stale expected revision and appends nothing', async () => {
    const id = randomUUID();
    await create(id, meta());
    await rename(id, meta(), 'first', 0);
    await expect(rename(id, meta(), 'second', 0)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await raw.streamRevision(streamId(id))).toBe(1);
  });

  it("treats another tenant's stream as not found", async () => {
    const id = randomUUID();
    await create(id, meta('acme'));
    await expect(rename(id, meta('globex'), 'takeover')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await raw.streamRevision(streamId(id))).toBe(0);
  });

  it('refuses a command that fails its schema before touching the log', async () => {
    const head = await raw.headPosition();
    await expect(create(randomUUID(), meta(), 'x'.repeat(201))).rejects.toBeInstanceOf(SchemaValidationError);
    expect(await raw.headPosition()).toBe(head);
  });

  it('lets exactly one of many racing reservations of a name win, per tenant', async () => {
    const name = `Racing ${randomUUID()}`;
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => names.reserve(name, randomUUID(), meta('acme'))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const r of refused) expect(r.reason).toBeInstanceOf(DomainError);
    await expect(names.reserve(name.toUpperCase(), randomUUID(), meta('acme'))).rejects.toMatchObject({ code: 'CONFLICT', field: 'name' });
    await expect(names.reserve(name, randomUUID(), meta('globex'))).resolves.toBeUndefined();
  });

  it('frees a released name for another venture', async () => {
    const name = `Released ${randomUUID()}`;
    const owner = randomUUID();
    await names.reserve(name, owner, meta());
    await names.release(name, owner, meta());
    await expect(names.reserve(`  ${name.toLowerCase()} `, randomUUID(), meta())).resolves.toBeUndefined();
  });
});
