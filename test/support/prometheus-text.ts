/** One sample of the Prometheus text exposition format: `name{label="value",...} 1.5`. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;
const SPECIAL: Readonly<Record<string, number>> = { nan: NaN, '+inf': Infinity, inf: Infinity, '-inf': -Infinity };
const UNESCAPE: Readonly<Record<string, string>> = { n: '\n', '"': '"', '\\': '\\' };

/** Parses the text format (version 0.0.4); comments and blank lines are skipped, a malformed line throws. */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match?.[1] || match[3] === undefined) throw new Error(`not a Prometheus sample line: ${line}`);
    samples.push({ name: match[1], labels: parseLabels(match[2] ?? '', line), value: parseValue(match[3]) });
  }
  return samples;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let end = 0;
  for (let m = LABEL.exec(text); m !== null; m = LABEL.exec(text)) {
    labels[m[1] ?? ''] = (m[2] ?? '').replace(/\\(.)/g, (_, c: string) => UNESCAPE[c] ?? c);
    end = LABEL.lastIndex;
  }
  if (end !== text.length) throw new Error(`malformed labels in: ${line}`);
  return labels;
}

/** Prometheus reads the special values case-insensitively (prom-client writes NaN as `Nan`). */
function parseValue(text: string): number {
  const special = SPECIAL[text.toLowerCase()];
  if (special !== undefined) return special;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`not a sample value: ${text}`);
  return value;
}

/** The samples named `name` whose labels include every label of `where`. */
export function select(samples: readonly Sample[], name: string, where: Readonly<Record<string, string>> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v));
}

/** The sum of the selected samples' values; 0 when there are none (a counter not yet incremented). */
export function total(samples: readonly Sample[], name: string, where: Readonly<Record<string, string>> = {}): number {
  return select(samples, name, where).reduce((sum, s) => sum + s.value, 0);
}
