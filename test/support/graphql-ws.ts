interface WsLike {
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  send(data: string): void;
  close(): void;
}
// `ws` ships with mercurius (its WebSocket server); Node 20 has no WebSocket client of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const WebSocket = require('ws') as new (url: string, protocol: string) => WsLike;

export interface WsMessage {
  type: string;
  id?: string;
  payload?: { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] } & Record<string, unknown>;
}

export interface WsSubscription {
  /** The next message the server sent (waits for it). */
  next(): Promise<WsMessage>;
  /** The messages received and not yet taken by `next`, taken now. */
  drain(): WsMessage[];
  close(): void;
}

/** A graphql-ws (graphql-transport-ws) client of one subscription: connects, is acknowledged, subscribes. */
export async function subscribeOverWs(url: string, authorization: string | undefined, query: string): Promise<WsSubscription> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const inbox: WsMessage[] = [];
  let wake: (() => void) | undefined;
  socket.on('message', (data) => {
    inbox.push(JSON.parse(data.toString()) as WsMessage);
    wake?.();
  });
  const next = async (): Promise<WsMessage> => {
    while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return inbox.shift() as WsMessage;
  };
  await new Promise<void>((resolve) => socket.on('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: authorization === undefined ? {} : { authorization } }));
  const ack = await next();
  if (ack.type !== 'connection_ack') throw new Error(`expected connection_ack, got ${JSON.stringify(ack)}`);
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
  return { next, drain: () => inbox.splice(0), close: () => socket.close() };
}
