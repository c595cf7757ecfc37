import type { CapitalCommand } from '../../write-model/capital/domain/capital.commands';
import { providerEventTypes, type PaymentMetadata, type ProviderEvent } from './payment-provider.port';

/** A capital command before its context (now, actor, tenant) is attached. */
export type CapitalCommandInput = CapitalCommand extends infer C ? (C extends CapitalCommand ? Omit<C, 'context'> : never) : never;

const ID = /^[A-Za-z0-9_.:-]{1,200}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** The webhook body as a provider event, or why it is not one. Every field is checked: the body comes from outside. */
export function parseProviderEvent(body: unknown): { event: ProviderEvent } | { problem: string } {
  if (!isRecord(body)) return { problem: 'the body must be a JSON object' };
  const { id, type, created, data } = body;
  if (!text(id) || !ID.test(id)) return { problem: 'id must be 1-200 letters, digits, _ . : -' };
  if (typeof type !== 'string' || !(providerEventTypes as readonly string[]).includes(type)) return { problem: `type must be one of ${providerEventTypes.join(', ')}` };
  if (typeof created !== 'number' || !Number.isSafeInteger(created)) return { problem: 'created must be Unix seconds' };
  if (!isRecord(data)) return { problem: 'data must be an object' };
  const { objectId, idempotencyKey, amount, currency, metadata, reason } = data;
  if (!text(objectId) || !ID.test(objectId)) return { problem: 'data.objectId is malformed' };
  if (!text(idempotencyKey) || !ID.test(idempotencyKey)) return { problem: 'data.idempotencyKey is malformed' };
  if (typeof amount !== 'string' || !/^[0-9]{1,18}(\.[0-9]{1,4})?$/.test(amount)) return { problem: 'data.amount must be a decimal string' };
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return { problem: 'data.currency must be an ISO 4217 code' };
  if (reason !== null && reason !== undefined && !text(reason, 2000)) return { problem: 'data.reason must be a string or null' };
  if (!isRecord(metadata)) return { problem: 'data.metadata must be an object' };
  const strings = Object.entries(metadata).every(([, v]) => text(v, 200));
  if (!strings || !text(metadata['tenant'], 100) || !text(metadata['capitalRequestId']) || !UUID.test(metadata['capitalRequestId'])) {
    return { problem: 'data.metadata must carry tenant and capitalRequestId as strings' };
  }
  return {
    event: {
      id,
      type: type as ProviderEvent['type'],
      created,
      data: { objectId, idempotencyKey, amount, currency, metadata: metadata as PaymentMetadata, reason: typeof reason === 'string' ? reason : null },
    },
  };
}

const positiveInt = (value: string | undefined, name: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`metadata.${name} must be a positive integer`);
  return n;
};

/** The capital command a provider event stands for (the command runner dedupes it by the provider's event id). */
export function commandForProviderEvent(event: ProviderEvent): CapitalCommandInput {
  const { objectId, amount, currency, metadata, idempotencyKey } = event.data;
  const capitalRequestId = metadata.capitalRequestId;
  const reason = event.data.reason ?? 'no reason given';
  switch (event.type) {
    case 'capture.succeeded':
      return { type: 'CapturePayment', data: { capitalRequestId, paymentId: objectId, amount, currency, commitment: positiveInt(metadata.commitment, 'commitment') } };
    case 'capture.failed':
      return {
        type: 'RecordPaymentCaptureFailure',
        data: { capitalRequestId, commitment: positiveInt(metadata.commitment, 'commitment'), attempt: positiveInt(metadata.attempt, 'attempt'), reason },
      };
    case 'payout.succeeded':
      return { type: 'RecordDisbursement', data: { capitalRequestId, payoutId: objectId, amount, currency } };
    case 'payout.failed':
      return { type: 'RecordDisbursementFailure', data: { capitalRequestId, idempotencyKey, reason } };
    case 'refund.succeeded': {
      if (metadata.paymentId === undefined) throw new Error('metadata.paymentId is required for a refund');
      return { type: 'RecordRefund', data: { capitalRequestId, paymentId: metadata.paymentId, refundId: objectId, amount, currency } };
    }
    default: {
      const _exhaustive: never = event.type;
      throw new Error(`unknown provider event ${String(_exhaustive)}`);
    }
  }
}
