import { Args, Context, Resolver, Subscription } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { classifyThrown } from '../../app/graphql/classify-error';
import { scopeOf } from '../../app/graphql/request-scope';
import { authorize } from '../access/roles';
import { aggregateId } from '../args';
import { readOf } from '../request/read-request';
import type { VentureChange } from './venture-changes';

export const ventureTopic = (tenant: string): string => `ventureChanged:${tenant}`;

interface Payload {
  readonly ventureChanged: VentureChange;
}

interface PubSubContext {
  readonly pubsub: { subscribe(topic: string): Promise<AsyncIterable<Payload>> };
}

/**
 * `ventureChanged` over WebSocket (graphql-ws or the legacy protocol): a subscriber hears about its own
 * tenant's ventures only (the topic carries the tenant), optionally one venture; each delivery reads the venture
 * as the read model has it then. Access is checked here rather than in the AccessGuard: mercurius sends a
 * refused subscription's error as it is, so it must carry its code itself.
 */
@Resolver('Subscription')
export class VentureChangedResolver {
  @Subscription('ventureChanged', {
    resolve(this: VentureChangedResolver, payload: Payload, _args: unknown, context: unknown) {
      const principal = scopeOf(context).principal();
      return readOf(context).loaders(principal).ventures.load(payload.ventureChanged.ventureId);
    },
  })
  async ventureChanged(@Args('id') id: unknown, @Context() context: unknown): Promise<AsyncIterable<Payload>> {
    try {
      const principal = scopeOf(context).principal();
      await readOf(context).admit(principal);
      authorize(principal, 'Subscription.ventureChanged');
      const only = id === undefined || id === null ? undefined : aggregateId(id);
      const source = await (context as PubSubContext).pubsub.subscribe(ventureTopic(principal.tenant));
      return only === undefined ? source : onlyVenture(source, only);
    } catch (error: unknown) {
      const client = classifyThrown(error);
      throw new GraphQLError(client.message, { extensions: { code: client.code, ...(client.field !== undefined && { field: client.field }) } });
    }
  }
}

/** Ending the generator (the client unsubscribes) ends the source through `for await`. */
async function* onlyVenture(source: AsyncIterable<Payload>, ventureId: string): AsyncGenerator<Payload> {
  for await (const payload of source) if (payload.ventureChanged.ventureId === ventureId) yield payload;
}
