import { randomUUID } from 'node:crypto';
import { schemaRegistry } from '../src/shared/schemas/schema-registry';
import { CommandRunner } from '../src/write-model/command-runner';
import { capitalDecider, streamId } from '../src/write-model/capital/domain/capital.decider';
import { PostgresEventStore } from '../src/write-model/event-store/postgres/postgres-event-store';
import { ValidatingEventStore } from '../src/write-model/event-store/validating-event-store';
import type { CommandExecutor } from './append.bench';

/** One-event commands (RequestCapital) decided and appended through the command runner. */
export async function commandBusExecutor(databaseUrl: string): Promise<CommandExecutor> {
  const raw = await PostgresEventStore.create({ connectionString: databaseUrl, poolSize: 16 });
  const runner = new CommandRunner(new ValidatingEventStore(raw, schemaRegistry()), schemaRegistry());
  const ventureId = randomUUID();
  return {
    async execute() {
      const id = randomUUID();
      const now = new Date().toISOString();
      return runner.run({
        decider: capitalDecider,
        streamId: streamId(id),
        aggregateId: id,
        command: {
          type: 'RequestCapital',
          data: { capitalRequestId: id, ventureId, amount: '25000.00', currency: 'USD', instrument: 'GRANT', purpose: 'bench' },
          context: { now, actor: 'bench', tenant: 'bench' },
        },
        metadata: { commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), actor: 'bench', tenant: 'bench', now },
      });
    },
    close: () => raw.close(),
  };
}
