/** Where a command writes: results to `out` (stdout), diagnostics to `err` (stderr). */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** For live progress (a bar on a terminal, a line a second otherwise); absent in tests. */
  readonly progress?: NodeJS.WriteStream;
}

/** Exit codes of every command: 0 ok, 1 the operation failed, 2 the command line was wrong. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
