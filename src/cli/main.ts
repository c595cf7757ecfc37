import { EXIT, type CliIo } from './cli-io';
import { COMMANDS } from './command-table';

const usage = (): string =>
  ['usage: npm run cli -- <command> [arguments] [--json]', '', 'commands:', ...COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`)].join('\n');

/** `npm run cli -- <command> ...`: dispatches to the command table; the exit code is the command's. */
export async function runCli(argv: readonly string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return EXIT.usage;
  }
  return command.run(rest, io, env);
}

if (require.main === module) {
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    progress: process.stderr,
  };
  // exitCode, not exit(): stdout on a pipe is written asynchronously and must drain first.
  runCli(process.argv.slice(2), io, process.env).then(
    (code) => {
      process.exitCode = code;
      setTimeout(() => process.exit(code), 5000).unref();
    },
    (error: unknown) => {
      io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = EXIT.failure;
    },
  );
}
