import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { createApp } from '../src/app/create-app';
import { createLogger } from '../src/infra/logger';
import { schemaRegistry } from '../src/shared/schemas/schema-registry';
import { RequestCapitalRequest } from '../src/write-model/capital/capital.handlers';
import type { CommandMetadata } from '../src/write-model/command-runner';
import { PostgresEventStore } from '../src/write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../src/write-model/event-store/validating-event-store';
import { CreateVentureRequest } from '../src/write-model/venture/venture.handlers';
import { ReadApi } from '../src/read-api/read-api';
import type { CommandExecutor } from './append.bench';

/**
 * One-event commands (RequestCapital for one venture) dispatched through the NestJS CommandBus of the real
 * application module: input validation, tenant check, load, decide, schema validation, append.
 */
export async function commandBusExecutor(databaseUrl: string): Promise<CommandExecutor> {
  const raw = await PostgresEventStore.create({ connectionString: databaseUrl, poolSize: 16 });
  const schemas = schemaRegistry();
  const store = new ValidatingEventStore(raw, schemas);
  const logger = createLogger('warn');
  const readApi = await ReadApi.create({ databaseUrl, store, schemas, logger, production: true });
  const app = await createApp({ store, schemas, logger, authSecret: 'x'.repeat(32), readApi });
  const bus = app.get(CommandBus);
  const meta = (): CommandMetadata => {
    const commandId = randomUUID();
    return { commandId, correlationId: randomUUID(), causationId: commandId, actor: 'bench', tenant: 'bench', now: new Date().toISOString() };
  };
  const ventureId = randomUUID();
  await bus.execute(new CreateVentureRequest({ ventureId, name: `Bench ${ventureId}`, sector: 'energy', country: 'KE', stage: 'SEED', description: null }, meta()));
  return {
    execute() {
      const id = randomUUID();
      return bus.execute(
        new RequestCapitalRequest({ capitalRequestId: id, ventureId, amount: '25000.00', currency: 'USD', instrument: 'GRANT', purpose: 'bench' }, meta()),
      );
    },
    async close() {
      await app.close();
      await readApi.close();
      await raw.close();
    },
  };
}
