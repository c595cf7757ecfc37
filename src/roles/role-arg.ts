/** `--role=projector` on the command line wins over ROLE in the environment. */
export function roleFromArgv(argv: readonly string[], env: Record<string, string | undefined>): void {
  const arg = argv.find((a) => a.startsWith('--role='));
  if (arg !== undefined) env.ROLE = arg.slice('--role='.length);
}
