import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import type { Logger } from '../infra/logger';
import { ProjectionsResolver } from '../read-api/projections.resolver';
import { QueryResolver } from '../read-api/query.resolver';
import { SchemaRegistry } from '../shared/schemas/schema-registry';
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
import { HealthController } from './health.controller';
import { AUTH_SECRET, CLOCK, EVENT_STORE, LOGGER, systemClock, type Clock } from './tokens';

/** What the composition root (main, tests) builds outside Nest; Nest only wires it. */
export interface AppDependencies {
  /** Validating (schemas) store: handlers read events as their deciders' types. */
  readonly store: EventStore;
  readonly schemas: SchemaRegistry;
  readonly logger: Logger;
  readonly authSecret: string;
  readonly clock?: Clock;
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
          useFactory: (secret: string, logger: Logger) => graphqlOptions(secret, logger),
          inject: [AUTH_SECRET, LOGGER],
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_FILTER, useClass: GraphQLPassThroughFilter },
        ...ventureHandlers,
        ...gedsiHandlers,
        ...capitalHandlers,
        VentureResolver,
        GEDSIResolver,
        CapitalResolver,
        QueryResolver,
        ProjectionsResolver,
      ],
    };
  }
}
