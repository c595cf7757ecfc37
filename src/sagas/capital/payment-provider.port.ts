/**
 * The payment provider, behind a port. Every operation carries an idempotency key the provider deduplicates by (as
 * real providers do): asking twice with one key performs the operation once and answers the same. An operation is
 * accepted synchronously; its outcome arrives later as a signed webhook (`ProviderEvent`).
 */

/** Echoed back in the webhooks: how the platform finds the request an outcome belongs to. */
export type PaymentMetadata = Readonly<{
  tenant: string;
  capitalRequestId: string;
  correlationId: string;
  commitment?: string;
  attempt?: string;
  paymentId?: string;
}>;

export interface ProviderOperation {
  readonly idempotencyKey: string;
  /** Decimal string in `currency` ("600.00"). */
  readonly amount: string;
  readonly currency: string;
  readonly metadata: PaymentMetadata;
}

export interface CaptureRequest extends ProviderOperation {
  /** Whose commitment is captured (the investor). */
  readonly payer: string;
}

export interface PayoutRequest extends ProviderOperation {
  /** Who is paid (the venture). */
  readonly payee: string;
}

export interface RefundRequest extends ProviderOperation {
  readonly paymentId: string;
}

export type ProviderAnswer = { readonly status: 'accepted'; readonly providerId: string } | { readonly status: 'declined'; readonly reason: string };

export interface PaymentProvider {
  capture(request: CaptureRequest): Promise<ProviderAnswer>;
  disburse(request: PayoutRequest): Promise<ProviderAnswer>;
  refund(request: RefundRequest): Promise<ProviderAnswer>;
}

/** The provider did not answer (timeout, 5xx): the operation may or may not have happened; ask again with the same key. */
export class ProviderUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderUnavailable';
  }
}

export const providerEventTypes = ['capture.succeeded', 'capture.failed', 'payout.succeeded', 'payout.failed', 'refund.succeeded'] as const;
export type ProviderEventType = (typeof providerEventTypes)[number];

/** A webhook body. `id` is the provider's event id (deliveries of one event share it); `created` is in Unix seconds. */
export interface ProviderEvent {
  readonly id: string;
  readonly type: ProviderEventType;
  readonly created: number;
  readonly data: {
    /** The provider's id of the payment, payout or refund. */
    readonly objectId: string;
    readonly idempotencyKey: string;
    readonly amount: string;
    readonly currency: string;
    readonly metadata: PaymentMetadata;
    readonly reason: string | null;
  };
}
