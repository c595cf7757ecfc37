import { decodeState, encodeState } from './state-codec';

describe('saga state codec', () => {
  it('round-trips bigints, maps, sets and nested records through JSON', () => {
    const state = {
      amount: 123456789012345678901234567890n,
      negative: -5n,
      byId: new Map<string, unknown>([['constructor', { paid: 10n, tags: new Set(['a', 'b']) }]]),
      list: [1n, 'two', null, { three: 3 }],
      nothing: null,
    };
    const stored: unknown = JSON.parse(JSON.stringify(encodeState(state)));
    expect(decodeState(stored)).toEqual(state);
  });

  it('drops undefined fields as JSON does', () => {
    expect(encodeState({ a: undefined, b: 1 })).toEqual({ b: 1 });
  });
});
