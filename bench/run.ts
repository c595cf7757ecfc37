import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { appendBench } from './append.bench';
import { commandBusExecutor } from './command-bus-executor';

/** `npm run bench`: runs every benchmark with its raw baseline in the same run and writes bench/results/latest.md. */
async function main(): Promise<void> {
  const sections: string[] = [`# Benchmark run ${new Date().toISOString()}\n`];
  const only = process.argv[2];
  if (!only || only === 'append') sections.push(await appendBench(commandBusExecutor));
  const out = sections.join('\n');
  console.log(out);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.md'), out);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
