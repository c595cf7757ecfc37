import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

const MARKER = join('schemas', 'common.schema.json');

/**
 * The `schemas/` folder of the repository, found by walking up from `start`, so the same code works from
 * `src/` (ts-jest, tsx) and from `dist/src/` (after `tsc`).
 */
export function findSchemasDir(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, MARKER))) return join(dir, 'schemas');
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no schemas/common.schema.json found above ${start}`);
    dir = parent;
  }
}

export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error: unknown) {
    throw new Error(`cannot read JSON ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** An ajv (draft 2020-12, strict, all errors, formats) that already knows `common.schema.json`. */
export function createSchemaAjv(schemasDir: string): Ajv2020 {
  // Union types (`["string", "null"]`) give clearer errors than anyOf; everything else stays strict.
  // `verbose` gives errors their schema, whose `description` words a pattern mismatch.
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  addFormats(ajv);
  ajv.addSchema(readJsonFile(join(schemasDir, 'common.schema.json')) as object);
  return ajv;
}
