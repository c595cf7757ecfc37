import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { getReferencesInExpression, parse } from '@cdktf/hcl2json';

/**
 * Static checks of a Terraform tree (no provider, no network): each directory holding `.tf` files is one
 * Terraform module (a reusable module, an environment or the bootstrap), checked on its own and against the
 * local modules it calls.
 *
 * The tree is given as a map of POSIX paths (relative to the tree's root) to file contents, so the same checks
 * run on the real `infra/terraform` folder and on small in-memory examples.
 */
export type TerraformTree = ReadonlyMap<string, string>;

export type FindingRule =
  | 'parse-error'
  | 'duplicate-declaration'
  | 'undeclared-variable'
  | 'undeclared-local'
  | 'unknown-module'
  | 'missing-module-source'
  | 'missing-output'
  | 'missing-module-argument'
  | 'unknown-module-argument'
  | 'missing-object-attribute'
  | 'unknown-object-attribute'
  | 'hardcoded-secret'
  | 'aws-access-key';

export interface Finding {
  readonly rule: FindingRule;
  /** The module directory (POSIX, relative to the tree's root; '.' for the root). */
  readonly dir: string;
  /** The file, when the finding is tied to one. */
  readonly file?: string;
  readonly message: string;
}

/** Arguments of a `module` block that are Terraform's own, not input variables of the called module. */
const MODULE_META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/** Parsed JSON of hcl2json: blocks are arrays of objects, expressions are `${...}` strings. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface VariableDecl {
  readonly file: string;
  readonly hasDefault: boolean;
  readonly body: JsonObject;
}

interface ModuleCall {
  readonly file: string;
  readonly source: string | undefined;
  readonly args: readonly string[];
  /** The call's body as hcl2json gives it: literal objects stay objects, expressions are `${...}` strings. */
  readonly body: JsonObject;
}

interface Reference {
  readonly file: string;
  /** As hcl2json reports it: `var.x`, `local.x.y`, `module.m.0.out`, `module.m."key".out`. */
  readonly value: string;
}

/** What one module directory declares and references. */
export interface ParsedModule {
  readonly dir: string;
  readonly files: readonly string[];
  readonly variables: ReadonlyMap<string, VariableDecl>;
  readonly locals: ReadonlySet<string>;
  readonly outputs: ReadonlySet<string>;
  readonly moduleCalls: ReadonlyMap<string, ModuleCall>;
  readonly references: readonly Reference[];
  /** Parsed bodies per file, for the secret scan. */
  readonly bodies: ReadonlyMap<string, JsonObject>;
  readonly findings: readonly Finding[];
}

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** hcl2json gives each block as a list of bodies (one per repetition); this flattens `{ name: [body, ...] }`. */
function blockBodies(value: Json | undefined): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

const isExpression = (value: string): boolean => value.includes('${') || value.includes('%{');

/** Every string of a parsed body (values and, for maps with computed keys, keys). */
function collectStrings(value: Json, out: string[]): void {
  if (typeof value === 'string') {
    out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, out);
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (isExpression(key)) out.push(key);
      collectStrings(item, out);
    }
  }
}

/** Groups the tree's `.tf` files by directory. */
export function moduleDirectories(tree: TerraformTree): Map<string, string[]> {
  const dirs = new Map<string, string[]>();
  for (const path of [...tree.keys()].sort()) {
    if (!path.endsWith('.tf')) continue;
    const dir = posix.dirname(path);
    dirs.set(dir, [...(dirs.get(dir) ?? []), path]);
  }
  return dirs;
}

/** Parses the `.tf` files of one directory and gathers its declarations and references. */
export async function parseModule(tree: TerraformTree, dir: string, files: readonly string[]): Promise<ParsedModule> {
  const findings: Finding[] = [];
  const variables = new Map<string, VariableDecl>();
  const locals = new Set<string>();
  const outputs = new Set<string>();
  const moduleCalls = new Map<string, ModuleCall>();
  const references: Reference[] = [];
  const bodies = new Map<string, JsonObject>();
  const declared = new Map<string, string>();

  const declare = (kind: string, name: string, file: string): void => {
    const key = `${kind}.${name}`;
    const first = declared.get(key);
    if (first !== undefined) {
      findings.push({ rule: 'duplicate-declaration', dir, file, message: `${kind} "${name}" is declared again (first in ${first})` });
    }
    declared.set(key, file);
  };

  for (const file of files) {
    let body: JsonObject;
    try {
      const parsed = (await parse(file, tree.get(file) ?? '')) as Json;
      body = isObject(parsed) ? parsed : {};
    } catch (error: unknown) {
      findings.push({ rule: 'parse-error', dir, file, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    bodies.set(file, body);

    const variableBlocks = body.variable;
    if (isObject(variableBlocks)) {
      for (const [name, value] of Object.entries(variableBlocks)) {
        const decl = blockBodies(value)[0] ?? {};
        declare('variable', name, file);
        variables.set(name, { file, hasDefault: 'default' in decl, body: decl });
      }
    }
    for (const localsBody of blockBodies(body.locals)) {
      for (const name of Object.keys(localsBody)) {
        declare('local', name, file);
        locals.add(name);
      }
    }
    const outputBlocks = body.output;
    if (isObject(outputBlocks)) {
      for (const name of Object.keys(outputBlocks)) {
        declare('output', name, file);
        outputs.add(name);
      }
    }
    const moduleBlocks = body.module;
    if (isObject(moduleBlocks)) {
      for (const [name, value] of Object.entries(moduleBlocks)) {
        const call = blockBodies(value)[0] ?? {};
        declare('module', name, file);
        const source = typeof call.source === 'string' ? call.source : undefined;
        moduleCalls.set(name, { file, source, args: Object.keys(call).filter((arg) => !MODULE_META_ARGUMENTS.has(arg)), body: call });
      }
    }

    const strings: string[] = [];
    collectStrings(body, strings);
    for (const text of strings) {
      if (!isExpression(text)) continue;
      for (const reference of await getReferencesInExpression(file, text)) references.push({ file, value: reference.value });
    }
  }

  return { dir, files, variables, locals, outputs, moduleCalls, references, bodies, findings };
}

const isLocalSource = (source: string): boolean => source.startsWith('./') || source.startsWith('../');

/** `module.m.0.out` / `module.m."key".out` / `module.m.*.out` → `{ module: 'm', output: 'out' }`. */
export function splitModuleReference(value: string): { module: string; output?: string } | undefined {
  const parts = value.split('.');
  if (parts[0] !== 'module' || parts[1] === undefined) return undefined;
  const rest = parts.slice(2).filter((part) => !/^(\d+|\*|".*")$/.test(part));
  return rest[0] === undefined ? { module: parts[1] } : { module: parts[1], output: rest[0] };
}

/** var/local/module references of one directory against its own declarations and the called modules. */
export function checkReferences(module: ParsedModule, modulesByDir: ReadonlyMap<string, ParsedModule>): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const report = (finding: Finding): void => {
    const key = `${finding.rule}|${finding.file ?? ''}|${finding.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(finding);
  };

  for (const { file, value } of module.references) {
    const [kind, name] = value.split('.');
    if (name === undefined) continue;
    if (kind === 'var' && !module.variables.has(name)) {
      report({ rule: 'undeclared-variable', dir: module.dir, file, message: `var.${name} is not declared in a variable block` });
    } else if (kind === 'local' && !module.locals.has(name)) {
      report({ rule: 'undeclared-local', dir: module.dir, file, message: `local.${name} is not declared in a locals block` });
    } else if (kind === 'module') {
      const ref = splitModuleReference(value);
      if (ref === undefined) continue;
      const call = module.moduleCalls.get(ref.module);
      if (call === undefined) {
        report({ rule: 'unknown-module', dir: module.dir, file, message: `module.${ref.module} is not a module block of this directory` });
        continue;
      }
      if (ref.output === undefined || call.source === undefined || !isLocalSource(call.source)) continue;
      const target = modulesByDir.get(posix.normalize(posix.join(module.dir, call.source)));
      if (target !== undefined && !target.outputs.has(ref.output)) {
        report({
          rule: 'missing-output',
          dir: module.dir,
          file,
          message: `module.${ref.module}.${ref.output}: ${call.source} has no output "${ref.output}"`,
        });
      }
    }
  }
  return findings;
}

/** Each module call passes every variable without a default of its (local) module, and nothing else. */
export function checkModuleCalls(module: ParsedModule, modulesByDir: ReadonlyMap<string, ParsedModule>): Finding[] {
  const findings: Finding[] = [];
  for (const [name, call] of module.moduleCalls) {
    if (call.source === undefined || !isLocalSource(call.source)) continue;
    const targetDir = posix.normalize(posix.join(module.dir, call.source));
    const target = modulesByDir.get(targetDir);
    if (target === undefined) {
      findings.push({ rule: 'missing-module-source', dir: module.dir, file: call.file, message: `module "${name}": no .tf files at ${targetDir}` });
      continue;
    }
    for (const [variable, decl] of target.variables) {
      if (!decl.hasDefault && !call.args.includes(variable)) {
        findings.push({
          rule: 'missing-module-argument',
          dir: module.dir,
          file: call.file,
          message: `module "${name}" does not pass "${variable}", which ${call.source} requires (no default)`,
        });
      }
    }
    for (const arg of call.args) {
      if (!target.variables.has(arg)) {
        findings.push({
          rule: 'unknown-module-argument',
          dir: module.dir,
          file: call.file,
          message: `module "${name}" passes "${arg}", which ${call.source} does not declare`,
        });
      }
    }
  }
  return findings;
}

/**
 * The structure of a variable's type constraint, as far as the object checks need it: the attributes of
 * `object({...})` (and whether `optional(...)` wraps them) and the element type of `map`, `list` and `set`.
 * Primitives, `any` and tuples are `other`.
 */
export type TypeShape =
  | { readonly kind: 'object'; readonly attributes: ReadonlyMap<string, { readonly optional: boolean; readonly type: TypeShape }> }
  | { readonly kind: 'collection'; readonly element: TypeShape }
  | { readonly kind: 'other' };

const OTHER: TypeShape = { kind: 'other' };
const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Splits `text` at the separators that stand outside brackets and strings. */
function splitTopLevel(text: string, separators: string): string[] {
  const parts: string[] = [];
  const closers: string[] = [];
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char in OPENERS) {
      closers.push(OPENERS[char] ?? '');
    } else if (char === closers[closers.length - 1]) {
      closers.pop();
    } else if (closers.length === 0 && separators.includes(char)) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

/** `name(inner)` → [name, inner], for a call that spans the whole text. */
function splitCall(text: string): [string, string] | undefined {
  const match = /^([a-z]+)\s*\(([\s\S]*)\)$/.exec(text.trim());
  return match === null ? undefined : [match[1] ?? '', match[2] ?? ''];
}

/** Parses a type constraint as hcl2json gives it (`${object({ a = string, b = optional(number, 1) })}`). */
export function parseTypeConstraint(type: string): TypeShape {
  let text = type.trim();
  if (text.startsWith('${') && text.endsWith('}')) text = text.slice(2, -1).trim();
  const call = splitCall(text);
  if (call === undefined) return OTHER;
  const [name, inner] = call;
  if (name === 'map' || name === 'list' || name === 'set') return { kind: 'collection', element: parseTypeConstraint(inner) };
  if (name !== 'object') return OTHER;
  const body = inner.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) return OTHER;
  const attributes = new Map<string, { optional: boolean; type: TypeShape }>();
  for (const entry of splitTopLevel(body.slice(1, -1), ',\n')) {
    const [key, ...rest] = splitTopLevel(entry, '=');
    if (key === undefined || rest.length !== 1) continue;
    const attributeType = rest[0] ?? '';
    const optional = splitCall(attributeType);
    if (optional !== undefined && optional[0] === 'optional') {
      attributes.set(key, { optional: true, type: parseTypeConstraint(splitTopLevel(optional[1], ',')[0] ?? '') });
    } else {
      attributes.set(key, { optional: false, type: parseTypeConstraint(attributeType) });
    }
  }
  return { kind: 'object', attributes };
}

/**
 * Literal objects passed to object-typed variables of a local module: every attribute without `optional`
 * is given, and no attribute is given that the type lacks (Terraform drops those silently, so a misspelt
 * optional attribute would quietly keep its default). Expressions (`var.x`, `merge(...)`) are not checked.
 */
export function checkObjectArguments(module: ParsedModule, modulesByDir: ReadonlyMap<string, ParsedModule>): Finding[] {
  const findings: Finding[] = [];
  const check = (value: Json | undefined, shape: TypeShape, path: string, call: ModuleCall, name: string): void => {
    if (shape.kind === 'collection') {
      if (Array.isArray(value)) value.forEach((item, i) => check(item, shape.element, `${path}[${i}]`, call, name));
      else if (isObject(value)) for (const [key, item] of Object.entries(value)) check(item, shape.element, `${path}["${key}"]`, call, name);
      return;
    }
    if (shape.kind !== 'object' || !isObject(value)) return;
    for (const [attribute, { optional, type }] of shape.attributes) {
      if (attribute in value) check(value[attribute], type, `${path}.${attribute}`, call, name);
      else if (!optional) {
        findings.push({
          rule: 'missing-object-attribute',
          dir: module.dir,
          file: call.file,
          message: `module "${name}": ${path} lacks "${attribute}", which the type of ${call.source ?? '?'} requires`,
        });
      }
    }
    for (const key of Object.keys(value)) {
      if (!shape.attributes.has(key)) {
        findings.push({
          rule: 'unknown-object-attribute',
          dir: module.dir,
          file: call.file,
          message: `module "${name}": ${path}.${key} is not an attribute of the type in ${call.source ?? '?'} (Terraform would drop it)`,
        });
      }
    }
  };
  for (const [name, call] of module.moduleCalls) {
    if (call.source === undefined || !isLocalSource(call.source)) continue;
    const target = modulesByDir.get(posix.normalize(posix.join(module.dir, call.source)));
    if (target === undefined) continue;
    for (const arg of call.args) {
      const type = target.variables.get(arg)?.body.type;
      if (typeof type === 'string') check(call.body[arg], parseTypeConstraint(type), arg, call, name);
    }
  }
  return findings;
}

/** Words that make an attribute a credential wherever they stand in its name. */
const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'tokens', 'credential', 'credentials', 'apikey']);
/** `<word>_key...` names that hold key material (a bare `key` is a map, tag or state-object key; a public key is no secret). */
const KEY_QUALIFIERS = new Set(['access', 'secret', 'private', 'api', 'auth', 'master', 'signing', 'encryption', 'client', 'shared', 'account']);
/** Last words that make the attribute describe a secret rather than hold one (`secret_arn`, `password_length`). */
const DESCRIPTIVE_SUFFIXES = new Set([
  'arn', 'arns', 'id', 'ids', 'name', 'names', 'length', 'type', 'version', 'versions', 'path', 'paths', 'file', 'policy',
  'enabled', 'count', 'days', 'window', 'rotation', 'strategy', 'stage', 'prefix', 'ttl', 'required', 'source', 'sources',
]);

/** Provider settings whose names contain a secret word but hold none (`http_tokens = "required"`: IMDSv2). */
const NOT_SECRETS = new Set(['http_tokens']);

/** Splits `masterUserPassword`, `master_user_password`, `db-password` into lower-case words. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** True for attribute names that should only ever hold a reference (password, secret, token, api key, ...). */
export function isSecretName(name: string): boolean {
  if (NOT_SECRETS.has(name)) return false;
  const parts = words(name);
  const last = parts[parts.length - 1];
  if (last === undefined || DESCRIPTIVE_SUFFIXES.has(last)) return false;
  if (parts.some((part) => SECRET_WORDS.has(part))) return true;
  return parts.some((part, i) => part === 'key' && i > 0 && KEY_QUALIFIERS.has(parts[i - 1] ?? ''));
}

const isLiteralSecretValue = (value: Json): value is string => typeof value === 'string' && value.trim() !== '' && !isExpression(value);

/**
 * No literal credential: an attribute (or a variable's default) named like a password, secret, token or api
 * key must be a reference, a function call or empty.
 */
export function checkSecrets(module: ParsedModule): Finding[] {
  const findings: Finding[] = [];
  const walk = (value: Json, path: string, file: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item) => walk(item, path, file));
      return;
    }
    if (!isObject(value)) return;
    for (const [key, item] of Object.entries(value)) {
      const here = path === '' ? key : `${path}.${key}`;
      if (isSecretName(key) && isLiteralSecretValue(item)) {
        findings.push({ rule: 'hardcoded-secret', dir: module.dir, file, message: `${here} is a literal string: pass a reference (Secrets Manager, random_password) instead` });
      }
      walk(item, here, file);
    }
  };
  for (const [file, body] of module.bodies) walk(body, '', file);
  for (const [name, decl] of module.variables) {
    if (isSecretName(name) && isLiteralSecretValue(decl.body.default ?? null)) {
      findings.push({ rule: 'hardcoded-secret', dir: module.dir, file: decl.file, message: `variable "${name}" has a literal default` });
    }
  }
  return findings;
}

const AWS_ACCESS_KEY = /AKIA[0-9A-Z]{16}/g;

/** No AWS access key id in any file of the tree (`.tf`, tfvars examples, templates, docs). */
export function checkAccessKeys(tree: TerraformTree): Finding[] {
  const findings: Finding[] = [];
  for (const [path, contents] of tree) {
    for (const match of contents.matchAll(AWS_ACCESS_KEY)) {
      const line = contents.slice(0, match.index).split('\n').length;
      findings.push({ rule: 'aws-access-key', dir: posix.dirname(path), file: path, message: `line ${line}: looks like an AWS access key id` });
    }
  }
  return findings;
}

export interface TreeReport {
  readonly modules: ReadonlyMap<string, ParsedModule>;
  readonly findings: readonly Finding[];
}

/** Parses every module directory of the tree and runs every check. */
export async function checkTree(tree: TerraformTree): Promise<TreeReport> {
  const modules = new Map<string, ParsedModule>();
  for (const [dir, files] of moduleDirectories(tree)) modules.set(dir, await parseModule(tree, dir, files));
  const findings: Finding[] = [...checkAccessKeys(tree)];
  for (const module of modules.values()) {
    findings.push(
      ...module.findings,
      ...checkReferences(module, modules),
      ...checkModuleCalls(module, modules),
      ...checkObjectArguments(module, modules),
      ...checkSecrets(module),
    );
  }
  return { modules, findings };
}

/** Text files under `root`, keyed by POSIX path relative to it (hidden folders such as `.terraform` are skipped). */
export function loadTree(root: string): Map<string, string> {
  const tree = new Map<string, string>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry.startsWith('.')) continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) visit(path);
      else tree.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  visit(root);
  return tree;
}

export const formatFindings = (findings: readonly Finding[]): string =>
  findings.map((f) => `[${f.rule}] ${f.file ?? f.dir}: ${f.message}`).join('\n');
