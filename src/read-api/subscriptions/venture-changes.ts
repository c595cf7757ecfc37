import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

/**
 * The hook the venture read model calls after it committed a change to a venture (one call per venture and
 * batch is enough): `ventureChanged` subscribers of that tenant are then told, on every API replica.
 */
export interface VentureChangeNotifier {
  notify(tenant: string, ventureId: string): void;
}

export interface VentureChange {
  readonly tenant: string;
  readonly ventureId: string;
}

/** Where an API replica hears about changes: every notification of any process (Redis) or of this one. */
export interface VentureChangeFeed {
  onChange(listener: (change: VentureChange) => void): () => void;
}

const CHANNEL = 'gedsi:venture-changed';

/** In one process (no REDIS_URL): the notifier and the feed are the same emitter. At most once, no replay. */
export class LocalVentureChanges implements VentureChangeNotifier, VentureChangeFeed {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  notify(tenant: string, ventureId: string): void {
    this.emitter.emit('change', { tenant, ventureId } satisfies VentureChange);
  }

  onChange(listener: (change: VentureChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}

/** Publish only (a projector process without an API): PUBLISHes where every replica's RedisVentureChanges listens. */
export class RedisVentureNotifier implements VentureChangeNotifier {
  constructor(
    private readonly publisher: Redis,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  notify(tenant: string, ventureId: string): void {
    this.publisher.publish(CHANNEL, JSON.stringify({ tenant, ventureId })).catch(this.onError);
  }
}

/**
 * Across processes: notify PUBLISHes on a Redis channel, every replica's feed SUBSCRIBEs to it (pub/sub: at most
 * once, a replica that is down misses what was said meanwhile; clients re-read after reconnecting).
 */
export class RedisVentureChanges implements VentureChangeNotifier, VentureChangeFeed {
  private readonly local = new LocalVentureChanges();
  private readonly publisher: RedisVentureNotifier;
  private subscribed: Promise<unknown> | undefined;

  constructor(
    publisher: Redis,
    private readonly subscriber: Redis,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.publisher = new RedisVentureNotifier(publisher, onError);
  }

  notify(tenant: string, ventureId: string): void {
    this.publisher.notify(tenant, ventureId);
  }

  onChange(listener: (change: VentureChange) => void): () => void {
    this.subscribed ??= this.listen();
    return this.local.onChange(listener);
  }

  /** Resolves once the SUBSCRIBE is acknowledged (tests wait for it before publishing). */
  ready(): Promise<unknown> {
    this.subscribed ??= this.listen();
    return this.subscribed;
  }

  private listen(): Promise<unknown> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== CHANNEL) return;
      const change = parseChange(message);
      if (change !== undefined) this.local.notify(change.tenant, change.ventureId);
    });
    return this.subscriber.subscribe(CHANNEL).catch((error: unknown) => this.onError(error));
  }
}

function parseChange(message: string): VentureChange | undefined {
  try {
    const value: unknown = JSON.parse(message);
    if (typeof value !== 'object' || value === null) return undefined;
    const { tenant, ventureId } = value as Record<string, unknown>;
    return typeof tenant === 'string' && typeof ventureId === 'string' ? { tenant, ventureId } : undefined;
  } catch {
    return undefined;
  }
}
