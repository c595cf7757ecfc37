import type { Message } from 'kafkajs';
import type { WireMessage } from './wire';

const MAX_REQUEST_BYTES = 900_000;

/**
 * Cuts a batch into produce requests of at most ~900 kB, so no record batch exceeds the broker's default
 * `message.max.bytes` (1 MB) whatever the events' sizes: a refused request would otherwise be retried forever.
 */
export class RequestBuilder {
  private readonly requests: Map<string, Message[]>[] = [];
  private current = new Map<string, Message[]>();
  private bytes = 0;
  private count = 0;

  add(topic: string, message: WireMessage): void {
    let size = 64 + message.key.length + Buffer.byteLength(message.value);
    for (const name in message.headers) size += name.length + (message.headers[name]?.length ?? 0) + 4;
    if (this.bytes + size > MAX_REQUEST_BYTES && this.bytes > 0) {
      this.requests.push(this.current);
      this.current = new Map();
      this.bytes = 0;
    }
    const list = this.current.get(topic) ?? [];
    list.push(message);
    this.current.set(topic, list);
    this.bytes += size;
    this.count += 1;
  }

  get messages(): number {
    return this.count;
  }

  done(): { topic: string; messages: Message[] }[][] {
    const all = this.bytes > 0 ? [...this.requests, this.current] : this.requests;
    return all.map((request) => [...request].map(([topic, messages]) => ({ topic, messages })));
  }
}
