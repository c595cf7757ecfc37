/**
 * Fault injection for the crash tests: `SAGA_FAULT=<point>[,<point>...]` makes the process SIGKILL itself the first
 * time it reaches a named point (no cleanup, no flush: like `kill -9`). Ignored when NODE_ENV=production.
 *
 * Points: `dispatched:<CommandType>` (a command or provider effect was carried out, its checkpoint not yet written),
 * `checkpointed:<EventType>` (a batch holding that event was committed), `timer:<CommandType>` (a due timer's command
 * was carried out, the timer not yet marked fired), `provider:<capture|disburse|refund>` (the provider did the
 * operation, its answer not yet handled).
 */
export function faultPoint(point: string): void {
  const wanted = process.env['SAGA_FAULT'];
  if (wanted === undefined || wanted === '' || process.env['NODE_ENV'] === 'production') return;
  if (!wanted.split(',').includes(point)) return;
  process.stderr.write(`SAGA_FAULT: killing process ${process.pid} at ${point}\n`);
  process.kill(process.pid, 'SIGKILL');
}
