import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSchema, findBreakingChanges } from 'graphql';
import { buildServedSchema, CONTRACT_FILE, schemaDir } from './served-schema';

/** The shared contract sits beside the clone in CI (`../shared/contract`); the in-repo copy stands in without it. */
function contractSource(): { text: string; shared: boolean } {
  const shared = resolve(schemaDir(), '..', '..', '..', '..', 'shared', 'contract', 'schema.graphql');
  if (existsSync(shared)) return { text: readFileSync(shared, 'utf8'), shared: true };
  console.log(`contract: ${shared} is absent, checking against the in-repo copy ${CONTRACT_FILE}`);
  return { text: readFileSync(join(schemaDir(), CONTRACT_FILE), 'utf8'), shared: false };
}

describe('the served GraphQL schema', () => {
  const contract = contractSource();

  it('makes no breaking change to the public contract', () => {
    expect(findBreakingChanges(buildSchema(contract.text), buildServedSchema())).toEqual([]);
  });

  it('serves a byte-identical copy of the shared contract', () => {
    if (!contract.shared) return;
    expect(readFileSync(join(schemaDir(), CONTRACT_FILE), 'utf8')).toBe(contract.text);
  });

  it('adds the viewer query in an extension file', () => {
    expect(buildServedSchema().getQueryType()?.getFields()['viewer']).toBeDefined();
  });
});
