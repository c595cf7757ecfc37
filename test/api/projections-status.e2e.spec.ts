import { startTestApi, type TestApi } from '../../src/app/testing/api-harness';
import { configuredProjectionNames } from '../../src/projections/all-projections';
import { ProjectionsService } from '../../src/projections/projections.service';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

const ELASTICSEARCH_URL = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
const NEVER_RUN = { state: 'STOPPED', position: null, liveGeneration: null, rebuildProgress: null };

/** A deployment's projections are listed from its configuration, before any projector ever ran one. */
describe('projection status on a fresh database', () => {
  let db: TestDatabase;
  let api: TestApi | undefined;

  // The API with ELASTICSEARCH_URL, as main builds it (this also creates the event store, as main does first).
  beforeAll(async () => {
    db = await createTestDatabase('e2e_proj_status');
    api = await startTestApi({ databaseUrl: db.url, read: { elasticsearchUrl: ELASTICSEARCH_URL } });
  });
  afterAll(async () => {
    await api?.close();
    await db.drop();
  });

  it('lists venture_search, never run, when Elasticsearch is configured, and not otherwise', async () => {
    const withSearch = await ProjectionsService.connect(db.url, configuredProjectionNames(ELASTICSEARCH_URL));
    const without = await ProjectionsService.connect(db.url, configuredProjectionNames(undefined));
    try {
      const listed = await withSearch.list();
      expect(listed.map((p) => p.name)).toEqual(['audit', 'capital', 'gedsi', 'venture_search', 'ventures']);
      expect(listed.find((p) => p.name === 'venture_search')).toMatchObject(NEVER_RUN);
      expect((await without.list()).map((p) => p.name)).toEqual(['audit', 'capital', 'gedsi', 'ventures']);
    } finally {
      await withSearch.close();
      await without.close();
    }
  });

  it('answers the projections query with venture_search as STOPPED when the API is given ELASTICSEARCH_URL', async () => {
    if (api === undefined) throw new Error('started in beforeAll');
    const operator = { authorization: `Bearer ${await api.token({ sub: 'op', tenant: 'acme', roles: ['operator'] })}` };
    const { data, errors } = await api.graphql('{ projections { name state position lag rebuildProgress } }', {}, operator);
    expect(errors).toEqual([]);
    const projections = data?.['projections'] as { name: string }[];
    expect(projections.map((p) => p.name)).toEqual(['audit', 'capital', 'gedsi', 'venture_search', 'ventures']);
    expect(projections.find((p) => p.name === 'venture_search')).toEqual({ name: 'venture_search', state: 'STOPPED', position: null, lag: 0, rebuildProgress: null });
  });
});
