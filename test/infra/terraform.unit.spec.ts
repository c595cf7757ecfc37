import { join, posix } from 'node:path';
import {
  checkTree,
  formatFindings,
  isSecretName,
  loadTree,
  parseTypeConstraint,
  splitModuleReference,
  type Finding,
  type FindingRule,
  type ParsedModule,
  type TreeReport,
} from './terraform-checks';

const ROOT = join(__dirname, '..', '..', 'infra', 'terraform');

/** The building blocks, and the composition module that wires them into one environment. */
const COMPONENTS = ['network', 'postgres', 'kafka', 'elasticsearch', 'redis', 'eventstoredb', 'service'];
const PLATFORM = 'platform';
const MODULES = [...COMPONENTS, PLATFORM];
const ENVIRONMENTS = ['staging', 'production'];

const rules = (findings: readonly Finding[]): FindingRule[] => [...new Set(findings.map((f) => f.rule))].sort();
const byRule = (findings: readonly Finding[], rule: FindingRule): Finding[] => findings.filter((f) => f.rule === rule);

describe('infra/terraform', () => {
  let report: TreeReport;
  let tree: Map<string, string>;

  beforeAll(async () => {
    tree = loadTree(ROOT);
    report = await checkTree(tree);
  });

  const module = (dir: string): ParsedModule => {
    const parsed = report.modules.get(dir);
    if (parsed === undefined) throw new Error(`no Terraform files in ${dir}`);
    return parsed;
  };

  it('passes every check: references, module calls, outputs, no literal secret, no access key', () => {
    expect(formatFindings(report.findings)).toBe('');
  });

  it('has every module and environment with its files', () => {
    for (const name of MODULES) {
      expect(module(`modules/${name}`).files.map((f) => f.split('/').pop()).sort()).toEqual(
        ['main.tf', 'outputs.tf', 'variables.tf', 'versions.tf'],
      );
    }
    for (const name of ENVIRONMENTS) {
      const dir = `environments/${name}`;
      expect(module(dir).files.map((f) => f.split('/').pop()).sort()).toEqual(
        ['backend.tf', 'main.tf', 'outputs.tf', 'providers.tf', 'variables.tf', 'versions.tf'],
      );
      expect(tree.has(`${dir}/terraform.tfvars.example`)).toBe(true);
    }
  });

  it('types and describes every variable, and describes every output', () => {
    const problems: string[] = [];
    for (const [dir, parsed] of report.modules) {
      for (const [name, decl] of parsed.variables) {
        if (typeof decl.body.type !== 'string') problems.push(`${dir}: variable ${name} has no type`);
        if (typeof decl.body.description !== 'string' || decl.body.description === '') problems.push(`${dir}: variable ${name} has no description`);
      }
      for (const [file, body] of parsed.bodies) {
        const outputs = body.output;
        if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) continue;
        for (const [name, value] of Object.entries(outputs)) {
          const decl = Array.isArray(value) ? value[0] : undefined;
          if (typeof decl !== 'object' || decl === null || Array.isArray(decl) || typeof decl.description !== 'string') {
            problems.push(`${file}: output ${name} has no description`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('pins the AWS provider to ~> 5 in every module and environment', () => {
    for (const dir of [...MODULES.map((m) => `modules/${m}`), ...ENVIRONMENTS.map((e) => `environments/${e}`)]) {
      const text = module(dir).files.map((file) => tree.get(file) ?? '').join('\n');
      expect({ dir, pinned: /aws\s*=\s*\{[^}]*source\s*=\s*"hashicorp\/aws"[^}]*version\s*=\s*"~> 5(\.0)?"/s.test(text) }).toEqual({ dir, pinned: true });
    }
  });

  it('keeps each environment state in S3 with a DynamoDB lock, at its own key', () => {
    for (const name of ENVIRONMENTS) {
      const backend = tree.get(`environments/${name}/backend.tf`) ?? '';
      expect(backend).toMatch(/backend\s+"s3"/);
      expect(backend).toMatch(/dynamodb_table\s*=/);
      expect(backend).toMatch(new RegExp(`key\\s*=\\s*"[^"]*${name}[^"]*"`));
    }
  });

  it('has each environment call the platform module and nothing else: no resources, data sources or other modules', () => {
    for (const name of ENVIRONMENTS) {
      const parsed = module(`environments/${name}`);
      expect([...parsed.moduleCalls.entries()].map(([call, { source }]) => `${call} <- ${source ?? ''}`)).toEqual([`${PLATFORM} <- ../../modules/${PLATFORM}`]);
      const blocks = [...parsed.bodies.values()].flatMap((body) => Object.keys(body)).filter((kind) => kind === 'resource' || kind === 'data');
      expect({ name, blocks }).toEqual({ name, blocks: [] });
    }
  });

  it('has the platform module compose every other module and feed the app its secrets by ARN', () => {
    const parsed = module(`modules/${PLATFORM}`);
    const sources = [...parsed.moduleCalls.values()].map((call) => call.source).sort();
    expect(sources).toEqual(COMPONENTS.map((m) => `../${m}`).sort());
    const main = tree.get(`modules/${PLATFORM}/main.tf`) ?? '';
    for (const variable of ['DATABASE_URL', 'REDIS_URL', 'ELASTICSEARCH_URL', 'AUTH_JWT_SECRET', 'EVENTSTORE_CONNECTION_STRING', 'KAFKA_BROKERS']) {
      expect(main).toContain(variable);
    }
    expect(main).toMatch(/resource\s+"random_password"\s+"auth_jwt_secret"/);
    expect(main).toMatch(/secrets\s*=\s*local\.secrets/);
  });

  it('passes every required variable of every module called, in the environments and in the platform', () => {
    const checked: string[] = [];
    const missing: string[] = [];
    for (const [dir, parsed] of report.modules) {
      for (const [name, call] of parsed.moduleCalls) {
        const target = report.modules.get(posix.join(dir, call.source ?? ''));
        if (target === undefined) continue;
        const required = [...target.variables].filter(([, decl]) => !decl.hasDefault).map(([variable]) => variable);
        checked.push(`${dir}: module.${name} (${required.length} required)`);
        missing.push(...required.filter((variable) => !call.args.includes(variable)).map((variable) => `${dir}: module.${name} lacks ${variable}`));
      }
    }
    expect(missing).toEqual([]);
    // Not vacuous: both environments and the platform's seven calls were checked.
    expect(checked.filter((line) => line.includes(`module.${PLATFORM} `))).toHaveLength(ENVIRONMENTS.length);
    expect(checked.filter((line) => line.startsWith(`modules/${PLATFORM}:`))).toHaveLength(COMPONENTS.length);
    expect(byRule(report.findings, 'missing-module-argument')).toEqual([]);
    expect(byRule(report.findings, 'missing-object-attribute')).toEqual([]);
    expect(byRule(report.findings, 'unknown-object-attribute')).toEqual([]);
  });

  it('finds every module.X.Y output it references in module X', () => {
    const references: string[] = [];
    const missing: string[] = [];
    for (const [dir, parsed] of report.modules) {
      for (const { value } of parsed.references) {
        const ref = splitModuleReference(value);
        if (ref?.output === undefined) continue;
        const call = parsed.moduleCalls.get(ref.module);
        const target = call?.source === undefined ? undefined : report.modules.get(posix.join(dir, call.source));
        references.push(`${dir}: module.${ref.module}.${ref.output}`);
        if (target === undefined || !target.outputs.has(ref.output)) missing.push(`${dir}: module.${ref.module}.${ref.output}`);
      }
    }
    expect(missing).toEqual([]);
    expect(references.length).toBeGreaterThan(COMPONENTS.length);
    expect(byRule(report.findings, 'missing-output')).toEqual([]);
    expect(byRule(report.findings, 'unknown-module')).toEqual([]);
  });

  it('sizes production above staging: Multi-AZ, more zones and replicas, deletion protection, longer retention', () => {
    const args = (name: string): Record<string, unknown> => {
      const call = module(`environments/${name}`).moduleCalls.get(PLATFORM);
      if (call === undefined) throw new Error(`environments/${name} does not call the platform`);
      return call.body;
    };
    const staging = args('staging');
    const production = args('production');
    expect(staging).toMatchObject({ environment: 'staging', deletion_protection: false, network: { az_count: 2, single_nat_gateway: true }, postgres: { multi_az: false } });
    expect(production).toMatchObject({ environment: 'production', deletion_protection: true, network: { az_count: 3, single_nat_gateway: false }, postgres: { multi_az: true } });
    const number = (body: Record<string, unknown>, path: string): number => {
      const value = path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], body);
      if (typeof value !== 'number') throw new Error(`${path} is not a number: ${String(value)}`);
      return value;
    };
    for (const path of ['postgres.replica_count', 'postgres.allocated_storage_gb', 'kafka.broker_count', 'opensearch.instance_count', 'redis.num_cache_clusters', 'secret_recovery_window_days', 'log_retention_days']) {
      expect({ path, larger: number(production, path) > number(staging, path) }).toEqual({ path, larger: true });
    }
    for (const role of ['api', 'projector', 'saga', 'relay']) {
      expect({ role, larger: number(production, `roles.${role}.min_count`) > number(staging, `roles.${role}.min_count`) }).toEqual({ role, larger: true });
    }
  });

  it('sets synchronous_commit on in the PostgreSQL 15 parameter group and generates the password', () => {
    const main = tree.get('modules/postgres/main.tf') ?? '';
    expect(main).toMatch(/synchronous_commit\s*=\s*"on"/);
    expect(main).toMatch(/family\s*=\s*"postgres\$\{local\.major_version\}"/);
    expect(main).toMatch(/password\s*=\s*random_password\.master\.result/);
    expect(tree.get('modules/postgres/variables.tf')).toMatch(/default\s*=\s*"15"/);
  });

  it('checks the api on /ready behind the load balancer and every container on /health', () => {
    const variables = tree.get('modules/service/variables.tf') ?? '';
    expect(variables).toMatch(/variable "readiness_path"[^}]*default\s*=\s*"\/ready"/s);
    expect(variables).toMatch(/variable "liveness_path"[^}]*default\s*=\s*"\/health"/s);
    const main = tree.get('modules/service/main.tf') ?? '';
    expect(main).toMatch(/health_check\s*\{[^}]*path\s*=\s*var\.readiness_path/s);
    expect(main).toMatch(/ECSServiceAverageCPUUtilization/);
  });
});

describe('terraform checks on broken examples', () => {
  const moduleFiles = {
    'modules/db/variables.tf': `
      variable "name" {
        type        = string
        description = "required"
      }
      variable "size" {
        type        = number
        description = "optional"
        default     = 1
      }
      variable "settings" {
        type = object({
          tier  = string
          iops  = optional(number, 3000)
          disks = optional(map(object({ gb = number, encrypted = optional(bool, true) })), {})
        })
        description = "optional, of an object type"
        default     = null
      }
    `,
    'modules/db/main.tf': `
      resource "aws_db_instance" "this" {
        identifier = var.name
        password   = "hunter2-literal"
      }
    `,
    'modules/db/outputs.tf': `
      output "address" {
        value = aws_db_instance.this.address
      }
    `,
  };

  const broken = new Map<string, string>(Object.entries({
    ...moduleFiles,
    'env/main.tf': `
      locals {
        known = "x"
      }
      module "db" {
        source   = "../modules/db"
        size     = var.undeclared_size
        colour   = "blue"
        settings = {
          iosp  = 100
          disks = { data = { gb = 10, encrypted = true, kms = "x" }, logs = { encrypted = false } }
        }
      }
      module "ghost" {
        source = "../modules/nowhere"
      }
      output "endpoint" {
        value = module.db.endpoint
      }
      output "other" {
        value = "\${local.unknown}-\${module.missing.x}"
      }
      resource "aws_secretsmanager_secret_version" "jwt" {
        secret_string = "s3cr3t-in-code"
      }
      resource "aws_elasticache_replication_group" "r" {
        auth_token = ""
      }
    `,
    'env/variables.tf': `
      variable "api_token" {
        type    = string
        default = "abc123"
      }
    `,
    'env/terraform.tfvars.example': 'access = "AKIAABCDEFGHIJKLMNOP"\n',
  }));

  let findings: readonly Finding[];
  beforeAll(async () => {
    findings = (await checkTree(broken)).findings;
  });

  it('reports an undeclared variable', () => {
    expect(byRule(findings, 'undeclared-variable').map((f) => f.message)).toEqual([expect.stringContaining('var.undeclared_size')]);
  });

  it('reports an undeclared local', () => {
    expect(byRule(findings, 'undeclared-local').map((f) => f.message)).toEqual([expect.stringContaining('local.unknown')]);
  });

  it('reports an output missing from the called module, and a module that is not declared', () => {
    expect(byRule(findings, 'missing-output').map((f) => f.message)).toEqual([expect.stringContaining('module.db.endpoint')]);
    expect(byRule(findings, 'unknown-module').map((f) => f.message)).toEqual([expect.stringContaining('module.missing')]);
  });

  it('reports a required variable not passed, an argument the module does not declare, and a missing source', () => {
    expect(byRule(findings, 'missing-module-argument').map((f) => f.message)).toEqual([expect.stringContaining('"name"')]);
    expect(byRule(findings, 'unknown-module-argument').map((f) => f.message)).toEqual([expect.stringContaining('"colour"')]);
    expect(byRule(findings, 'missing-module-source').map((f) => f.message)).toEqual([expect.stringContaining('modules/nowhere')]);
  });

  it('reports an object argument that lacks a required attribute or has one the type lacks', () => {
    expect(byRule(findings, 'missing-object-attribute').map((f) => f.message)).toEqual([
      expect.stringContaining('settings lacks "tier"'),
      expect.stringContaining('settings.disks["logs"] lacks "gb"'),
    ]);
    expect(byRule(findings, 'unknown-object-attribute').map((f) => f.message)).toEqual([
      expect.stringContaining('settings.disks["data"].kms'),
      expect.stringContaining('settings.iosp'),
    ]);
  });

  it('reports literal passwords, secrets and tokens, but not empty values', () => {
    const messages = byRule(findings, 'hardcoded-secret').map((f) => `${f.file}: ${f.message}`).sort();
    expect(messages).toEqual([
      expect.stringMatching(/^env\/main\.tf: resource\.aws_secretsmanager_secret_version\.jwt\.secret_string/),
      expect.stringMatching(/^env\/variables\.tf: variable "api_token" has a literal default/),
      expect.stringMatching(/^modules\/db\/main\.tf: resource\.aws_db_instance\.this\.password/),
    ]);
  });

  it('reports an AWS access key id in any file', () => {
    expect(byRule(findings, 'aws-access-key')).toEqual([expect.objectContaining({ file: 'env/terraform.tfvars.example' })]);
  });

  it('reports HCL that does not parse', async () => {
    const { findings: parseFindings } = await checkTree(new Map([['x/main.tf', 'resource "a" "b" { c = }']]));
    expect(rules(parseFindings)).toEqual(['parse-error']);
  });

  it('accepts valid constructs: count/for_each module outputs, templates, for expressions, non-secret keys', async () => {
    const valid = new Map<string, string>(Object.entries({
      ...moduleFiles,
      'modules/db/main.tf': `
        resource "random_password" "p" {
          length = 32
        }
        resource "aws_db_instance" "this" {
          identifier = var.name
          password   = random_password.p.result
        }
      `,
      'env/main.tf': `
        terraform {
          backend "s3" {
            key            = "env/terraform.tfstate"
            dynamodb_table = "locks"
          }
        }
        locals {
          names = { for k, v in var.dbs : k => upper(v) if v != "" }
        }
        module "db" {
          source   = "../modules/db"
          count    = 2
          name     = "db-\${count.index}"
          settings = { tier = "large", disks = { data = { gb = 10 } } }
        }
        module "many" {
          source   = "../modules/db"
          for_each = local.names
          name     = each.value
          settings = merge({ tier = "small" }, var.extra)
        }
        resource "aws_dynamodb_table" "t" {
          hash_key = "LockID"
        }
        resource "aws_autoscaling_group" "g" {
          tag {
            key                 = "Name"
            value               = "x"
            propagate_at_launch = true
          }
        }
        resource "aws_elasticache_replication_group" "r" {
          auth_token                 = module.db[0].address
          auth_token_update_strategy = "ROTATE"
          kms_key_id                 = "alias/aws/elasticache"
        }
        resource "aws_instance" "i" {
          user_data = <<-EOT
            #!/bin/bash
            echo "$\${HOME} \${var.dbs["a"]}" local.not_a_reference
          EOT
        }
        output "a" {
          value = [module.db[0].address, module.many["x"].address, module.db[*].address, try(module.db[1].address, null)]
        }
      `,
      'env/variables.tf': `
        variable "dbs" {
          type        = map(string)
          description = "x"
        }
        variable "extra" {
          type        = map(string)
          description = "x"
        }
        variable "secret_recovery_window_days" {
          type        = number
          description = "x"
          default     = 7
        }
      `,
    }));
    const { findings: validFindings } = await checkTree(valid);
    expect(formatFindings(validFindings)).toBe('');
  });

  it('names secrets by word, not by substring', () => {
    expect(['password', 'master_password', 'masterUserPassword', 'auth_token', 'secret_string', 'api_key', 'access_key', 'private_key_pem', 'client_secret'].filter((n) => !isSecretName(n))).toEqual([]);
    expect(['key', 'hash_key', 'kms_key_id', 'public_key', 'key_name', 'secret_arn', 'password_length', 'auth_token_update_strategy', 'secret_recovery_window_days', 'tokenizer', 'keyboard', 'http_tokens'].filter(isSecretName)).toEqual([]);
  });

  it('parses type constraints: object attributes, optional ones with defaults, collections of objects', () => {
    const shape = parseTypeConstraint(
      '${object({\n  a = string\n  b = optional(list(string), ["x,y", "="])\n  c = map(object({ d = number, e = optional(bool, true) }))\n})}',
    );
    expect(shape).toEqual({
      kind: 'object',
      attributes: new Map([
        ['a', { optional: false, type: { kind: 'other' } }],
        ['b', { optional: true, type: { kind: 'collection', element: { kind: 'other' } } }],
        ['c', {
          optional: false,
          type: {
            kind: 'collection',
            element: {
              kind: 'object',
              attributes: new Map([
                ['d', { optional: false, type: { kind: 'other' } }],
                ['e', { optional: true, type: { kind: 'other' } }],
              ]),
            },
          },
        }],
      ]),
    });
    expect(parseTypeConstraint('${string}')).toEqual({ kind: 'other' });
    expect(parseTypeConstraint('${any}')).toEqual({ kind: 'other' });
  });

  it('splits module references with index and key segments', () => {
    expect(splitModuleReference('module.db.address')).toEqual({ module: 'db', output: 'address' });
    expect(splitModuleReference('module.db.0.address')).toEqual({ module: 'db', output: 'address' });
    expect(splitModuleReference('module.db."key".address.nested')).toEqual({ module: 'db', output: 'address' });
    expect(splitModuleReference('module.db')).toEqual({ module: 'db' });
    expect(splitModuleReference('var.db')).toBeUndefined();
  });
});
