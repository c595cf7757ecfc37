import { loadAggregate } from '../../app/cqrs/load-aggregate';
import type { CommandRunner } from '../../write-model/command-runner';
import type { EventStore } from '../../write-model/event-store/event-store.port';
import { gedsiDecider, streamId as gedsiStreamId } from '../../write-model/gedsi/domain/gedsi.decider';
import { metricKey } from '../../write-model/gedsi/domain/gedsi.state';
import type { GEDSIReviewCommand } from '../../write-model/gedsi-review/domain/gedsi-review.commands';
import { gedsiReviewDecider, streamId as reviewStreamId } from '../../write-model/gedsi-review/domain/gedsi-review.decider';
import { contextOf, metadataOf } from '../runtime/command-metadata';
import type { DispatchContext, SagaDispatcher } from '../runtime/dispatch';
import type { SagaCommand } from '../runtime/saga';

const types = ['OpenGEDSIVerification', 'MarkGEDSIVerificationOverdue', 'RemindGEDSIReporting', 'MarkGEDSIReportingOverdue'];

/** Carries out the GEDSI saga's commands on `gedsireview-<ventureId>`, reading what they need from the venture's metrics. */
export class GEDSIDispatcher implements SagaDispatcher {
  constructor(
    private readonly store: EventStore,
    private readonly runner: CommandRunner,
  ) {}

  async dispatch(command: SagaCommand, context: DispatchContext): Promise<void> {
    if (!types.includes(command.type)) throw new Error(`the GEDSI saga cannot dispatch ${command.type}`);
    const ventureId = String(command.data['ventureId']);
    const data = { ...command.data };
    if (command.type === 'MarkGEDSIVerificationOverdue' || command.type === 'RemindGEDSIReporting' || command.type === 'MarkGEDSIReportingOverdue') {
      const { state } = await loadAggregate(this.store, gedsiDecider, gedsiStreamId(ventureId));
      if (command.type === 'MarkGEDSIVerificationOverdue') {
        const metric = state.metrics.get(metricKey(String(data['metricId']), String(data['period'])));
        data['verifiedValue'] = metric?.verified === true ? metric.value : null;
      } else {
        const period = String(data['period']);
        data['reportedMetricIds'] = [...state.metrics.keys()].filter((key) => key.endsWith(`@${period}`)).map((key) => key.slice(0, key.indexOf('@')));
      }
    }
    const reviewCommand = { type: command.type, data, context: contextOf(context) } as GEDSIReviewCommand;
    await this.runner.run({ decider: gedsiReviewDecider, streamId: reviewStreamId(ventureId), aggregateId: ventureId, command: reviewCommand, metadata: metadataOf(context) });
  }
}
