import { ApiError, badUserInput } from '../../app/graphql/api-error';
import type { Principal } from '../../app/auth/jwt';
import { rateLimited } from '../limits/rate-limiter';
import type { ReadApi } from '../read-api';
import { Loaders } from './loaders';

export const READ_AFTER_HEADER = 'x-read-after';

/**
 * What one GraphQL request (or one subscription connection) shares across its resolvers: the X-Read-After
 * position, the rate-limit decision (one per request however many root fields it has), the waits for read
 * models to catch up (one per read model) and the DataLoaders.
 */
export class ReadRequest {
  private admitted: Promise<void> | undefined;
  private readonly waits = new Map<string, Promise<void>>();
  private loadersOf: Loaders | undefined;

  constructor(
    readonly api: ReadApi,
    private readonly readAfterHeader: unknown,
    /** A subscription connection lives long: its loaders must not cache across the events it delivers. */
    private readonly options: { readonly perConnection?: boolean } = {},
  ) {}

  /** Once per request: the X-Read-After header is well-formed and the subject is within its rate limit. */
  admit(principal: Principal): Promise<void> {
    this.admitted ??= (async () => {
      this.readAfter();
      const decision = await this.api.limiter.hit(`${principal.tenant}:${principal.sub}`);
      if (!decision.allowed) throw rateLimited(decision);
    })();
    return this.admitted;
  }

  /** The position the client has seen (a mutation's `position`), if it sent one. */
  readAfter(): string | undefined {
    const header = this.readAfterHeader;
    if (header === undefined || header === '') return undefined;
    if (typeof header !== 'string') throw badUserInput('X-Read-After', 'send one X-Read-After header');
    try {
      this.api.store.comparePositions(header, header);
    } catch {
      throw badUserInput('X-Read-After', 'X-Read-After must be a position returned by a mutation');
    }
    return header;
  }

  /** Resolves once `projection` has processed the X-Read-After position (at once without one); STALE_READ after the bound. */
  caughtUp(projection: string): Promise<void> {
    const position = this.readAfter();
    if (position === undefined) return Promise.resolve();
    let wait = this.waits.get(projection);
    if (wait === undefined) {
      wait = this.api.progress.waitFor([projection], position, this.api.limits.readAfterTimeoutMs);
      this.waits.set(projection, wait);
    }
    return wait;
  }

  loaders(principal: Principal): Loaders {
    if (this.options.perConnection === true) return new Loaders(this.api, principal.tenant, () => Promise.resolve());
    this.loadersOf ??= new Loaders(this.api, principal.tenant, (projection) => this.caughtUp(projection));
    return this.loadersOf;
  }
}

/** The ReadRequest inside a resolver's GraphQL context (`{ read }`), checked rather than assumed. */
export function readOf(context: unknown): ReadRequest {
  const read: unknown = typeof context === 'object' && context !== null ? (context as { read?: unknown }).read : undefined;
  if (!(read instanceof ReadRequest)) throw new ApiError('INTERNAL', 'request context is missing');
  return read;
}
