import type { ProjectionStatus } from '../../projections/projections.service';
import type { DeadLetter } from '../../projections/runtime/dead-letters';
import type { CliIo } from '../cli-io';

function table(rows: readonly (readonly string[])[], io: CliIo): void {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  for (const r of rows) io.out(r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd());
}

const percent = (p: number | null): string => (p === null ? '-' : `${(p * 100).toFixed(1)}%`);

export function printStatusTable(all: readonly ProjectionStatus[], io: CliIo): void {
  table(
    [
      ['NAME', 'STATE', 'GEN', 'POSITION', 'HEAD', 'LAG', 'EVENTS/S', 'DEAD', 'REBUILD'],
      ...all.map((s) => [
        s.name,
        s.state,
        String(s.liveGeneration ?? '-'),
        s.position ?? '-',
        s.headPosition ?? '-',
        String(s.lag),
        String(s.eventsPerSecond),
        String(s.deadLetters),
        s.rebuild ? `g${s.rebuild.generation} ${percent(s.rebuildProgress)}` : '-',
      ]),
    ],
    io,
  );
}

export function printStatus(s: ProjectionStatus, io: CliIo): void {
  io.out(`${s.name}: ${s.state}${s.leaseOwner ? ` (held by ${s.leaseOwner})` : ''}`);
  io.out(`  live generation  ${s.liveGeneration ?? '-'} at position ${s.position ?? '-'} of ${s.headPosition ?? '-'} (lag ${s.lag})`);
  io.out(`  events/s         ${s.eventsPerSecond}`);
  io.out(`  dead letters     ${s.deadLetters}`);
  if (s.rebuild) {
    const r = s.rebuild;
    io.out(
      `  rebuild          generation ${r.generation}: ${r.eventsDone}/${r.eventsTotal} events (${percent(s.rebuildProgress)}), ${r.eventsPerSecond}/s, ETA ${r.etaSeconds ?? '-'} s${r.indexesReady ? ', indexes built' : ''}`,
    );
  }
  if (s.lastError) io.out(`  last error       ${s.lastError}`);
  io.out(`  updated          ${s.updatedAt ?? '-'}`);
}

export function printDeadLetters(name: string, letters: readonly DeadLetter[], io: CliIo): void {
  if (letters.length === 0) {
    io.out(`${name}: no dead letters`);
    return;
  }
  table(
    [
      ['ID', 'STATUS', 'ATTEMPTS', 'POSITION', 'TYPE', 'STREAM', 'ERROR'],
      ...letters.map((l) => [l.id, l.status, String(l.attempts), l.position, l.type, l.streamId, l.error.replace(/\s+/g, ' ').slice(0, 120)]),
    ],
    io,
  );
}
