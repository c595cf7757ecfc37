import { createTestDatabase } from '../../../../test/support/database';
import { describeEventStoreContract } from '../event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

describeEventStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase('es_contract');
  const store = await PostgresEventStore.create({ connectionString: db.url });
  return {
    store,
    async dispose() {
      await store.close();
      await db.drop();
    },
  };
});
