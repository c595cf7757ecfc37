import { createHash, randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';

/**
 * The Elasticsearch URL for tests: ELASTICSEARCH_URL, or under CI the local server `.ci/run` starts (so a
 * missing server fails CI instead of skipping). Unset outside CI: the caller skips, saying why, once.
 */
export function elasticsearchUrlForTests(suite: string): string | undefined {
  const url = process.env['ELASTICSEARCH_URL']?.trim() || (process.env['CI'] ? 'http://127.0.0.1:9200' : undefined);
  if (url === undefined) {
    console.log(`[${suite}] ELASTICSEARCH_URL is unset: skipping the Elasticsearch tests (start one with \`bash scripts/services/elasticsearch.sh start\` and set ELASTICSEARCH_URL=http://127.0.0.1:9200)`);
  }
  return url;
}

/** A fresh prefix for index and alias names, so test runs never share an index. */
export const testIndexPrefix = (): string => `t${randomBytes(4).toString('hex')}_`;

export async function deleteIndexes(client: Client, prefix: string): Promise<void> {
  const indices = await client.cat.indices({ index: `${prefix}*`, format: 'json' }, { ignore: [404] });
  for (const i of Array.isArray(indices) ? indices : []) if (i.index) await client.indices.delete({ index: i.index }, { ignore: [404] });
}

/** Every document behind the alias as (id, version, source), in id order. */
export async function indexDocuments(client: Client, alias: string): Promise<{ id: string; version: number; source: Record<string, unknown> }[]> {
  await client.indices.refresh({ index: alias });
  const out: { id: string; version: number; source: Record<string, unknown> }[] = [];
  let after: (string | number)[] | undefined;
  for (;;) {
    const res = await client.search<Record<string, unknown>>({
      index: alias,
      size: 5000,
      version: true,
      sort: [{ id: { order: 'asc' } }],
      query: { match_all: {} },
      ...(after && { search_after: after }),
    });
    for (const h of res.hits.hits) out.push({ id: h._id ?? '', version: h._version ?? -1, source: h._source ?? {} });
    const last = res.hits.hits[res.hits.hits.length - 1];
    if (!last || res.hits.hits.length < 5000) return out;
    after = last.sort as (string | number)[];
  }
}

/** A deterministic fingerprint of an index's documents: count and md5 over (id, version, source with sorted keys). */
export async function indexHash(client: Client, alias: string): Promise<string> {
  const docs = await indexDocuments(client, alias);
  const hash = createHash('md5');
  for (const d of docs) hash.update(JSON.stringify([d.id, d.version, Object.keys(d.source).sort().map((k) => [k, d.source[k]])]));
  return `${docs.length}:${hash.digest('hex')}`;
}
