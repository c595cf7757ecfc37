import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { READ_API } from '../read-api.token';
import type { ReadApi } from '../read-api';
import { ventureTopic } from './venture-changed.resolver';

/** Feeds the venture change feed (local or Redis) into this replica's mercurius pub/sub. */
@Injectable()
export class VentureChangesBridge implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(READ_API) private readonly readApi: ReadApi,
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    this.unsubscribe = this.readApi.changes.onChange((change) => {
      fastify.graphql.pubsub.publish({ topic: ventureTopic(change.tenant), payload: { ventureChanged: change } });
    });
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }
}
