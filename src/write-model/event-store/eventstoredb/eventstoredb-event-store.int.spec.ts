import { describeEventStoreContract } from '../event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract('EventStoreDB', async () => {
    const store = await EventStoreDbEventStore.connect(connectionString);
    return { store, dispose: () => store.close() };
  });
} else {
  // EventStoreDB cannot run on this machine: the suite runs wherever EVENTSTORE_CONNECTION_STRING points at a server.
  console.warn(
    '[skipped] EventStoreDB contract suite: EVENTSTORE_CONNECTION_STRING is not set ' +
      '(set it, e.g. esdb://127.0.0.1:2113?tls=false, to run the same contract against EventStoreDB)',
  );
  describe.skip('event store contract: EventStoreDB (EVENTSTORE_CONNECTION_STRING not set)', () => {
    it('runs the shared contract suite', () => undefined);
  });
}
