const PERIOD = /^([0-9]{4})(?:-(Q[1-4]|H[12]))?$/;

/**
 * A sortable number for a reporting period: periods ending later come later; of periods ending together
 * (2026-Q4, 2026-H2, 2026) the longer one comes later, as the fuller report. 2026-Q1 -> 20260303.
 */
export function periodOrder(period: string): number {
  const match = PERIOD.exec(period);
  if (match === null) throw new Error(`invalid reporting period ${JSON.stringify(period)}`);
  const year = Number(match[1]);
  const part = match[2];
  if (part === undefined) return year * 10_000 + 12 * 100 + 12;
  const n = Number(part.slice(1));
  return part.startsWith('Q') ? year * 10_000 + 3 * n * 100 + 3 : year * 10_000 + 6 * n * 100 + 6;
}
