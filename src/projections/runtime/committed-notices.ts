import type { StoredEvent } from '../../write-model/event-store/event-store.port';
import type { ControllerDeps } from './controller';

/**
 * Tells the projector's post-commit hook what the live generation of one projection committed: the events it
 * handles, each once, only after their rows and checkpoint committed. A hook that throws is logged and
 * ignored: notifications are best effort, the read model is the truth.
 */
export class CommittedNotices {
  private readonly handles: ReadonlySet<string>;

  constructor(private readonly deps: Pick<ControllerDeps, 'projection' | 'store' | 'logger' | 'options' | 'onCommitted'>) {
    this.handles = new Set(deps.projection.canHandle);
  }

  /** False when nobody listens: callers skip the reads `range` needs. */
  get listening(): boolean {
    return this.deps.onCommitted !== undefined;
  }

  /**
   * A live batch committed, moving the checkpoint from `after` to `upTo`: events at or before `after` (a batch
   * replayed after a restart) or past `upTo` (after a poison event that stopped it) changed nothing.
   */
  batch(events: readonly StoredEvent[], after: string | undefined, upTo: string | undefined): void {
    if (this.deps.onCommitted === undefined || upTo === undefined || upTo === after) return;
    this.tell(events.filter((e) => this.within(e.position, after, upTo)));
  }

  /**
   * A swap committed a rebuilt generation as live, with the events it applied past the old live generation's
   * checkpoint (appended while the swap ran): read from the log, they are told as one more batch.
   */
  async range(after: string, upTo: string): Promise<void> {
    if (this.deps.onCommitted === undefined) return;
    const { store, options } = this.deps;
    for (let from = after; store.comparePositions(from, upTo) < 0; ) {
      const events = await store.readAll({ after: from, maxCount: options.readSize });
      const last = events[events.length - 1];
      if (last === undefined) return;
      this.tell(events.filter((e) => this.within(e.position, after, upTo)));
      from = last.position;
    }
  }

  private within(position: string, after: string | undefined, upTo: string): boolean {
    const compare = (a: string, b: string): number => this.deps.store.comparePositions(a, b);
    return (after === undefined || compare(position, after) > 0) && compare(position, upTo) <= 0;
  }

  private tell(events: readonly StoredEvent[]): void {
    const handled = events.filter((e) => this.handles.has(e.type));
    if (handled.length === 0) return;
    try {
      this.deps.onCommitted?.(this.deps.projection.name, handled);
    } catch (error) {
      this.deps.logger.warn({ err: error, projection: this.deps.projection.name }, 'post-commit hook failed');
    }
  }
}
