import type { GEDSIEvent } from '../../write-model/gedsi/domain/gedsi.events';
import type { InternalEvents, TranslationsOf } from './translation';

const OVERSIGHT = 'GEDSI oversight process state (tasks, reminders, deadlines) of this service, not a fact about the metrics';

export const METRICS_INTERNAL = {
  GEDSIVerificationRequested: OVERSIGHT,
  GEDSIVerificationOverdue: OVERSIGHT,
  GEDSIReportingReminderIssued: OVERSIGHT,
  GEDSIReportingOverdue: OVERSIGHT,
} as const satisfies InternalEvents;

export const METRICS_TRANSLATIONS: TranslationsOf<GEDSIEvent, keyof typeof METRICS_INTERNAL> = {
  GEDSIMetricUpdated: {
    context: 'metrics',
    type: 'metrics.GedsiMetricRecorded',
    version: 1,
    translate: (d) => ({ ventureId: d.ventureId, metricId: d.metricId, period: d.period, value: d.newValue, previousValue: d.oldValue, unit: d.unit }),
  },
  GEDSIMetricVerified: {
    context: 'metrics',
    type: 'metrics.GedsiMetricVerified',
    version: 1,
    translate: (d) => ({ ventureId: d.ventureId, metricId: d.metricId, period: d.period, value: d.value, verifiedBy: d.verifiedBy }),
  },
};
