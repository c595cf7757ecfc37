import { RequestBuilder } from './produce-requests';

const message = (i: number, size: number) => ({ key: `k${i}`, value: 'x'.repeat(size), headers: { eventId: String(i) } });

describe('RequestBuilder', () => {
  it('groups messages by topic in one request while they fit', () => {
    const builder = new RequestBuilder();
    builder.add('a', message(1, 10));
    builder.add('b', message(2, 10));
    builder.add('a', message(3, 10));
    expect(builder.done()).toEqual([[{ topic: 'a', messages: [message(1, 10), message(3, 10)] }, { topic: 'b', messages: [message(2, 10)] }]]);
    expect(builder.messages).toBe(3);
  });

  it('starts a new request before ~900 kB, in order, so no record batch exceeds the broker limit of 1 MB', () => {
    const builder = new RequestBuilder();
    for (let i = 0; i < 10; i++) builder.add('a', message(i, 200_000));
    const requests = builder.done();
    expect(requests.map((r) => r[0]?.messages.map((m) => m.key))).toEqual([['k0', 'k1', 'k2', 'k3'], ['k4', 'k5', 'k6', 'k7'], ['k8', 'k9']]);
  });

  it('counts bytes, not characters', () => {
    const builder = new RequestBuilder();
    for (let i = 0; i < 4; i++) builder.add('a', { key: 'k', value: 'é'.repeat(150_000), headers: {} });
    expect(builder.done()).toHaveLength(2);
  });

  it('makes no request for no message', () => {
    expect(new RequestBuilder().done()).toEqual([]);
  });
});
