/**
 * Saga state as JSON (jsonb): bigints, Maps and Sets are tagged (`{"$bigint": "12"}`, `{"$map": [[k, v]]}`,
 * `{"$set": [v]}`) so a state round-trips exactly. Plain objects must not use those keys themselves.
 */
export function encodeState(value: unknown): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Map) return { $map: [...value.entries()].map(([k, v]) => [encodeState(k), encodeState(v)]) };
  if (value instanceof Set) return { $set: [...value].map(encodeState) };
  if (Array.isArray(value)) return value.map(encodeState);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, encodeState(v)]));
  }
  return value;
}

export function decodeState(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeState);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1) {
    if (typeof record['$bigint'] === 'string') return BigInt(record['$bigint']);
    if (Array.isArray(record['$map'])) return new Map((record['$map'] as unknown[][]).map(([k, v]) => [decodeState(k), decodeState(v)]));
    if (Array.isArray(record['$set'])) return new Set((record['$set'] as unknown[]).map(decodeState));
  }
  return Object.fromEntries(keys.map((k) => [k, decodeState(record[k])]));
}
