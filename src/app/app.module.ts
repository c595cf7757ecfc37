import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import type { Logger } from '../infra/logger';
import { AccessGuard } from '../read-api/access/access.guard';
import { ProjectionsResolver } from '../read-api/projections.resolver';
import { QueryResolver } from '../read-api/query.resolver';
import type { ReadApi } from '../read-api/read-api';
import { READ_API } from '../read-api/read-api.token';
import { VentureChangedResolver } from '../read-api/subscriptions/venture-changed.resolver';
import { VentureChangesBridge } from '../read-api/subscriptions/venture-changes.bridge';
import { VentureFieldsResolver } from '../read-api/venture.resolver';
import { SchemaRegistry } from '../shared/schemas/schema-registry';
import { PaymentWebhookController } from '../sagas/capital/payment-webhook.controller';
import { SAGA_API, type SagaApi } from '../sagas/saga-api';
import { SagasQueryResolver } from '../read-api/sagas/sagas.resolver';
import { capitalWorkflowHandlers } from '../write-model/capital/capital-workflow.handlers';
import { CapitalWorkflowResolver } from '../write-model/capital/capital-workflow.resolver';
import { investorHandlers } from '../write-model/investor/investor.handlers';
import { InvestorResolver } from '../write-model/investor/investor.resolver';
import { capitalHandlers } from '../write-model/capital/capital.handlers';
import { CapitalResolver } from '../write-model/capital/capital.resolver';
import { CommandRunner } from '../write-model/command-runner';
import type { EventStore } from '../write-model/event-store/event-store.port';
import { gedsiHandlers } from '../write-model/gedsi/gedsi.handlers';
import { GEDSIResolver } from '../write-model/gedsi/gedsi.resolver';
import { ventureHandlers } from '../write-model/venture/venture.handlers';
import { VentureResolver } from '../write-model/venture/venture.resolver';
import { VentureNameReservations } from '../write-model/venture/venture-name-reservations';
import { VentureWrites } from './cqrs/venture-writes';
import { GraphQLPassThroughFilter } from './graphql/graphql-exception-filter';
import { graphqlOptions } from './graphql/graphql-options';
import { OpsController } from './ops.controller';
import type { ReadinessCheck } from '../infra/observability/readiness';
import { READINESS_CHECKS, AUTH_SECRET, CLOCK, EVENT_STORE, LOGGER, systemClock, type Clock } from './tokens';

/** What the composition root (main, tests) builds outside Nest; Nest only wires it. */
export interface AppDependencies {
  /** Validating (schemas) store: handlers read events as their deciders' types. */
  readonly store: EventStore;
  readonly schemas: SchemaRegistry;
  readonly logger: Logger;
  readonly authSecret: string;
  /** The read side: read models, log queries, cache, rate limits, change feed (see `read-api.ts`). */
  readonly readApi: ReadApi;
  readonly clock?: Clock;
  /** What GET /ready checks (the role's dependencies); none by default. */
  readonly readinessChecks?: () => readonly ReadinessCheck[];
  /** The process role GET /health and /ready report (`api` by default; `all` when every role runs here). */
  readonly role?: string;
  /** Payment webhooks and the saga status; absent: POST /webhooks/payments answers 503 and `sagas` is empty. */
  readonly sagas?: SagaApi;
}

@Module({})
class CoreModule {}

function coreProviders(deps: AppDependencies): Provider[] {
  return [
    { provide: EVENT_STORE, useValue: deps.store },
    { provide: SchemaRegistry, useValue: deps.schemas },
    { provide: LOGGER, useValue: deps.logger },
    { provide: AUTH_SECRET, useValue: deps.authSecret },
    { provide: CLOCK, useValue: deps.clock ?? systemClock },
    { provide: READINESS_CHECKS, useValue: { role: deps.role ?? 'api', checks: deps.readinessChecks ?? (() => []) } },
    { provide: READ_API, useValue: deps.readApi },
    ...(deps.sagas !== undefined ? [{ provide: SAGA_API, useValue: deps.sagas }] : []),
    { provide: CommandRunner, useFactory: (store: EventStore, schemas: SchemaRegistry) => new CommandRunner(store, schemas), inject: [EVENT_STORE, SchemaRegistry] },
    { provide: VentureNameReservations, useFactory: (store: EventStore) => new VentureNameReservations(store), inject: [EVENT_STORE] },
    {
      provide: VentureWrites,
      useFactory: (store: EventStore, runner: CommandRunner, names: VentureNameReservations, logger: Logger) => new VentureWrites(store, runner, names, logger),
      inject: [EVENT_STORE, CommandRunner, VentureNameReservations, LOGGER],
    },
  ];
}

@Module({})
export class AppModule {
  static forRoot(deps: AppDependencies): DynamicModule {
    const providers = coreProviders(deps);
    const exports = providers.map((provider) => (typeof provider === 'function' ? provider : provider.provide));
    const core: DynamicModule = { module: CoreModule, global: true, providers, exports };
    return {
      module: AppModule,
      imports: [
        core,
        CqrsModule.forRoot(),
        GraphQLModule.forRootAsync<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          useFactory: (secret: string, logger: Logger, readApi: ReadApi) => graphqlOptions(secret, logger, readApi),
          inject: [AUTH_SECRET, LOGGER, READ_API],
        }),
      ],
      controllers: [OpsController, PaymentWebhookController],
      providers: [
        { provide: APP_FILTER, useClass: GraphQLPassThroughFilter },
        { provide: APP_GUARD, useClass: AccessGuard },
        ...ventureHandlers,
        ...gedsiHandlers,
        ...capitalHandlers,
        ...capitalWorkflowHandlers,
        ...investorHandlers,
        VentureResolver,
        GEDSIResolver,
        CapitalResolver,
        CapitalWorkflowResolver,
        InvestorResolver,
        SagasQueryResolver,
        QueryResolver,
        ProjectionsResolver,
        VentureFieldsResolver,
        VentureChangedResolver,
        VentureChangesBridge,
      ],
    };
  }
}
