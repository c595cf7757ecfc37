import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildSchema, type GraphQLSchema } from 'graphql';

const RELATIVE_DIR = join('src', 'read-api', 'schema');
export const CONTRACT_FILE = 'contract.graphql';

/**
 * The folder of the served SDL. `tsc` does not copy `.graphql` files, so from `dist/src/...` we walk up to the
 * repository and read them from `src/read-api/schema`, the single copy.
 */
export function schemaDir(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, RELATIVE_DIR, CONTRACT_FILE))) return join(dir, RELATIVE_DIR);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no ${join(RELATIVE_DIR, CONTRACT_FILE)} found above ${start}`);
    dir = parent;
  }
}

/** The served SDL: the contract first, then our extensions in file-name order. */
export function servedTypeDefs(dir: string = schemaDir()): string {
  const extensions = readdirSync(dir)
    .filter((file) => file.endsWith('.graphql') && file !== CONTRACT_FILE)
    .sort();
  return [CONTRACT_FILE, ...extensions].map((file) => readFileSync(join(dir, file), 'utf8')).join('\n');
}

export const buildServedSchema = (dir?: string): GraphQLSchema => buildSchema(servedTypeDefs(dir));
