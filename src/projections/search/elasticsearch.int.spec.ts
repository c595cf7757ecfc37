import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { schemaRegistry } from '../../shared/schemas/schema-registry';
import { expect as expectRevision } from '../../write-model/event-store/event-store.port';
import { PostgresEventStore } from '../../write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../../write-model/event-store/validating-event-store';
import { ProjectionsService } from '../projections.service';
import { startProjector, type Projector } from '../projector';
import { migrateProjections } from '../runtime/migrations';
import type { Connection } from '../shared/page';
import { deleteIndexes, elasticsearchUrlForTests, indexDocuments, testIndexPrefix } from '../testing/elasticsearch';
import { renameVenture, ventureCreated } from '../testing/fixtures';
import { allCaughtUp, silentLogger, waitFor, testPool } from '../testing/support';
import { Workload } from '../testing/workload';
import type { VentureView } from '../ventures/ventures.queries';
import { EsVentureSearch } from './es-venture-search';

const url = elasticsearchUrlForTests('elasticsearch');
const describeEs = url === undefined ? describe.skip : describe;
const ROOT = join(__dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'scripts/services/elasticsearch.sh');

async function walk(page: (after: string | null) => Promise<Connection<VentureView>>): Promise<VentureView[]> {
  const out: VentureView[] = [];
  for (let after: string | null = null; ; ) {
    const c = await page(after);
    out.push(...c.edges.map((e) => e.node));
    if (!c.pageInfo.hasNextPage) return out;
    after = c.pageInfo.endCursor;
  }
}

describeEs('Elasticsearch venture index', () => {
  const esUrl = url ?? '';
  const prefix = testIndexPrefix();
  const alias = `${prefix}ventures`;
  const names = ['ventures', 'venture_search'];
  let db: TestDatabase;
  let raw: PostgresEventStore;
  let store: ValidatingEventStore;
  let pool: Pool;
  let es: Client;
  let search: EsVentureSearch;
  let projector: Projector | undefined;
  const solar = randomUUID();

  const start = async (only = names): Promise<Projector> =>
    startProjector({ databaseUrl: db.url, elasticsearchUrl: esUrl, elasticsearchIndexPrefix: prefix, logger: silentLogger(), only, runtime: { tickMs: 100 } });
  /** The index holds exactly the ventures read model: same ids, names, and version = stream revision. */
  async function expectIndexEqualsReadModel(): Promise<void> {
    const rows = await pool.query<{ id: string; name: string; revision: number }>('SELECT id, name, revision FROM rm_ventures ORDER BY id COLLATE "C"');
    const docs = await indexDocuments(es, alias);
    expect(docs.map((d) => [d.id, d.source['name'], d.version])).toEqual(rows.rows.map((r) => [r.id, r.name, r.revision]));
  }

  beforeAll(async () => {
    db = await createTestDatabase('proj_es');
    raw = await PostgresEventStore.create({ connectionString: db.url, poolSize: 3 });
    store = new ValidatingEventStore(raw, schemaRegistry());
    await migrateProjections(db.url);
    pool = testPool(db.url, 3);
    es = new Client({ node: esUrl });
    search = new EsVentureSearch(esUrl, prefix);
    await new Workload(5).appendAtLeast(store, 2000, 4);
    await store.append(
      `venture-${solar}`,
      [ventureCreated(solar, 'Sunrise Solar Cooperative', 'tenant-q', { sector: 'Energy', description: 'Pay-as-you-go solar kits for rural clinics' })],
      expectRevision.noStream,
    );
    projector = await start();
    await waitFor('the index', () => allCaughtUp(pool, raw, names));
  });
  afterAll(async () => {
    await projector?.stop();
    await search.close();
    await deleteIndexes(es, prefix);
    await es.close();
    await pool.end();
    await raw.close();
    await db.drop();
  });

  it('indexes every venture with its stream revision as the document version', async () => {
    await renameVenture(store, solar, 'Sunrise Solar Cooperative Ltd', 'tenant-q');
    await waitFor('the rename', () => allCaughtUp(pool, raw, names));
    await expectIndexEqualsReadModel();
    const [doc] = (await indexDocuments(es, alias)).filter((d) => d.id === solar);
    expect(doc).toMatchObject({ version: 1, source: { name: 'Sunrise Solar Cooperative Ltd', tenant: 'tenant-q', revision: 1 } });
  });

  it('finds ventures with typos and by prefix, filters like the ventures list, pages with search_after, scoped by tenant', async () => {
    await es.indices.refresh({ index: alias });
    expect((await search.search('tenant-q', 'sunrize solr')).edges.map((e) => e.node.id)).toEqual([solar]);
    expect((await search.search('tenant-q', 'coop')).edges.map((e) => e.node.id)).toEqual([solar]);
    expect((await search.search('tenant-q', 'clinics', { filter: { sector: 'Energy', country: 'KE' } })).totalCount).toBe(1);
    expect((await search.search('tenant-q', 'solar', { filter: { sector: 'Health' } })).totalCount).toBe(0);
    expect((await search.search('tenant-q', 'solar', { filter: { nameContains: 'COOPERATIVE' } })).totalCount).toBe(1);
    expect((await search.search('tenant-a', 'sunrise cooperative')).edges.map((e) => e.node.id)).not.toContain(solar);
    const all = await walk((after) => search.search('tenant-a', 'solar', { first: 4, after }));
    expect(all.length).toBe((await search.search('tenant-a', 'solar')).totalCount);
    expect(new Set(all.map((v) => v.id)).size).toBe(all.length);
  });

  it('treats a version conflict (the index already holds a newer document) as written, without a dead letter', async () => {
    await projector?.stop();
    const live = (await es.indices.getAlias({ name: alias })) as Record<string, unknown>;
    const index = Object.keys(live)[0] ?? '';
    const current = (await indexDocuments(es, alias)).find((d) => d.id === solar);
    await es.index({ index, id: solar, version: 50, version_type: 'external', document: { ...current?.source, name: 'Written by someone newer' } });
    await renameVenture(store, solar, 'Renamed after the conflict', 'tenant-q');
    projector = await start();
    await waitFor('catch-up', () => allCaughtUp(pool, raw, names));
    const doc = (await indexDocuments(es, alias)).find((d) => d.id === solar);
    expect(doc).toMatchObject({ version: 50, source: { name: 'Written by someone newer' } });
    expect((await new ProjectionsService(pool, names).status('venture_search')).deadLetters).toBe(0);
    await projector.stop();
    projector = undefined; // the rebuild below brings the index back in step with the log
  });

  it('rebuilds the index blue/green: a new index behind the alias, the old one deleted, search answering throughout', async () => {
    projector = await start();
    await new ProjectionsService(pool, names).rebuild('venture_search');
    const answers: number[] = [];
    await waitFor(
      'the alias to move to generation 2',
      async () => {
        answers.push((await search.search('tenant-a', 'solar')).totalCount);
        const live = await pool.query<{ generation: number }>(`SELECT generation FROM proj_generations WHERE projection = 'venture_search' AND status = 'live'`);
        return live.rows[0]?.generation === 2;
      },
      60_000,
      50,
    );
    await waitFor('catch-up', () => allCaughtUp(pool, raw, names));
    // The alias moves right after the PostgreSQL pointer (two systems: not one transaction; a restart repairs it).
    await waitFor('the alias on generation 2', async () => Object.keys(await es.indices.getAlias({ name: alias })).join() === `${alias}_g2`);
    await waitFor('the old index to be deleted', async () => !(await es.indices.exists({ index: `${alias}_g1` })));
    expect(answers.every((n) => n > 0)).toBe(true);
    await renameVenture(store, solar, 'Sunrise Solar, after the rebuild', 'tenant-q');
    await waitFor('catch-up', () => allCaughtUp(pool, raw, names));
    await expectIndexEqualsReadModel();
  });

  const restartable = existsSync(SCRIPT) && /^https?:\/\/(127\.0\.0\.1|localhost):9200\/?$/.test(esUrl);
  (restartable ? it : it.skip)('catches up with nothing missing after Elasticsearch is stopped and restarted mid-stream; PostgreSQL read models carry on', async () => {
    const all = ['ventures', 'gedsi', 'venture_search'];
    await projector?.stop();
    projector = await start(all);
    await waitFor('catch-up', () => allCaughtUp(pool, raw, all));
    const workload = new Workload(99);
    let writing = true;
    const writer = (async () => {
      while (writing) await workload.appendAtLeast(store, 20, 1);
    })();
    try {
      await waitFor('some events', async () => (await raw.headPosition()) !== undefined);
      execFileSync('bash', [SCRIPT, 'stop'], { cwd: ROOT, stdio: 'ignore' });
      await workload.appendAtLeast(store, 300, 2);
      const head = await raw.headPosition();
      const service = new ProjectionsService(pool, all);
      await waitFor('PostgreSQL read models past the outage', async () => {
        const s = await service.list();
        return ['ventures', 'gedsi'].every((n) => BigInt(s.find((x) => x.name === n)?.position ?? '0') >= BigInt(head ?? '0'));
      });
      const during = (await service.status('venture_search')).position;
      expect(BigInt(during ?? '0')).toBeLessThan(BigInt(head ?? '0'));
    } finally {
      execFileSync('bash', [SCRIPT, 'start'], { cwd: ROOT, stdio: 'ignore' });
      writing = false;
      await writer;
    }
    await waitFor('the index to catch up after the restart', () => allCaughtUp(pool, raw, all), 120_000, 200);
    await expectIndexEqualsReadModel();
    expect((await new ProjectionsService(pool, all).status('venture_search')).deadLetters).toBe(0);
  }, 240_000);
});
