import { decodeState, encodeState } from './state-codec';

describe('aggregate state codec', () => {
  it('round-trips bigints, Maps and Sets nested in plain data', () => {
    const state = { status: 'COMMITTED', requested: 123456789012345678901234567890n, payments: new Map([['p-1', { amount: 5n, refunded: 0n }]]), refunds: new Set(['r-1']), list: [1n, null] };
    expect(decodeState(encodeState(state))).toEqual(state);
  });

  it('leaves ordinary objects that merely have one key alone', () => {
    expect(decodeState(encodeState({ a: { other: 1 } }))).toEqual({ a: { other: 1 } });
  });
});
