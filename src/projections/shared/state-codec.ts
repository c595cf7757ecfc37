/**
 * JSON for aggregate states that hold bigint amounts, Maps and Sets: tagged objects (`{"$bigint":"150000"}`,
 * `{"$map":[[k, v]]}`, `{"$set":[v]}`) that decode to the same values. A read model can then keep the
 * aggregate's own state and fold it with the aggregate's own `evolve`, so its status never drifts from the
 * write model's.
 */
export function encodeState(state: unknown): string {
  return JSON.stringify(state, (_key, value: unknown) => {
    if (typeof value === 'bigint') return { $bigint: value.toString() };
    if (value instanceof Map) return { $map: [...(value as Map<unknown, unknown>).entries()] };
    if (value instanceof Set) return { $set: [...(value as Set<unknown>).values()] };
    return value;
  });
}

export function decodeState<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const tagged = value as Record<string, unknown>;
    const keys = Object.keys(tagged);
    if (keys.length !== 1) return value;
    if (typeof tagged['$bigint'] === 'string') return BigInt(tagged['$bigint']);
    if (Array.isArray(tagged['$map'])) return new Map(tagged['$map'] as [unknown, unknown][]);
    if (Array.isArray(tagged['$set'])) return new Set(tagged['$set'] as unknown[]);
    return value;
  }) as T;
}
