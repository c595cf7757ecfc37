import type { CliIo } from './cli-io';
import { projectionsCommand } from './commands/projections.command';
import { tokenCommand } from './commands/token';

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  /** Returns the exit code (see `EXIT`). */
  readonly run: (argv: readonly string[], io: CliIo, env: NodeJS.ProcessEnv) => Promise<number>;
}

/** Every top-level command of `npm run cli --`: one line per command. */
export const COMMANDS: readonly CliCommand[] = [
  { name: 'projections', summary: 'list, status, rebuild, pause, resume projections; list, retry and skip dead letters', run: projectionsCommand },
  { name: 'token', summary: 'print a bearer token signed with AUTH_JWT_SECRET (development and scripts)', run: tokenCommand },
];
