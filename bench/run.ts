import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiBench } from './api.bench';
import { appendBench } from './append.bench';
import { commandBusExecutor } from './command-bus-executor';
import { freshnessBench } from './freshness.bench';
import { rebuildBench } from './rebuild.bench';
import { relayBench } from './relay.bench';
import { rolesBench } from './roles.bench';
import { sagaBench } from './saga.bench';

/** `npm run bench`: runs every benchmark with its raw baseline in the same run and writes bench/results/latest.md. */
async function main(): Promise<void> {
  const sections: string[] = [`# Benchmark run ${new Date().toISOString()}\n`];
  const only = process.argv[2];
  if (!only || only === 'append') sections.push(await appendBench(commandBusExecutor));
  if (!only || only === 'api') sections.push(await apiBench());
  if (only === 'relay' || (!only && process.env.KAFKA_BROKERS)) sections.push(await relayBench());
  if (!only || only === 'saga') sections.push(await sagaBench());
  if (!only || only === 'rebuild') sections.push(await rebuildBench());
  if (!only || only === 'freshness') sections.push(await freshnessBench());
  if (!only || only === 'roles') sections.push(await rolesBench());
  const out = sections.join('\n');
  console.log(out);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  // `roles` alone keeps its own file, like relay.md and projections.md, so as not to replace the append and API tables.
  writeFileSync(join(__dirname, 'results', only === 'roles' ? 'roles.md' : 'latest.md'), out);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
