import { Inject, Optional } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { scopeOf } from '../../app/graphql/request-scope';
import { EVENT_STORE } from '../../app/tokens';
import { SAGA_API, type SagaApi } from '../../sagas/saga-api';
import type { SagaStatus } from '../../sagas/runtime/status';
import { streamId as capitalStreamId } from '../../write-model/capital/domain/capital.decider';
import type { EventStore } from '../../write-model/event-store/event-store.port';
import { capitalTimeline, type CapitalTimeline } from './capital-timeline';
import { verificationTasks, type VerificationTaskView } from './verification-tasks';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Queries the workflows answer from the log itself (always current) and the saga workers' status. */
@Resolver('Query')
export class SagasQueryResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(SAGA_API) private readonly sagaApi?: SagaApi,
  ) {}

  @Query('capitalRequestTimeline')
  async capitalRequestTimeline(@Args('id') id: string, @Context() context: unknown): Promise<CapitalTimeline | null> {
    const { tenant } = scopeOf(context).principal();
    if (!UUID.test(id)) return null;
    const events = await this.store.readStream(capitalStreamId(id));
    if (events[0]?.metadata.tenant !== tenant) return null;
    return capitalTimeline(id, events);
  }

  @Query('gedsiVerificationTasks')
  async gedsiVerificationTasks(@Args('ventureId') ventureId: string, @Context() context: unknown): Promise<VerificationTaskView[]> {
    const { tenant } = scopeOf(context).principal();
    if (!UUID.test(ventureId)) return [];
    return verificationTasks(this.store, ventureId, tenant);
  }

  @Query('sagas')
  async sagas(@Context() context: unknown): Promise<SagaStatus[]> {
    scopeOf(context).principal();
    return this.sagaApi === undefined ? [] : this.sagaApi.status();
  }
}
