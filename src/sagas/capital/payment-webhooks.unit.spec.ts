import pino from 'pino';
import { conflict } from '../../shared/decider';
import type { CommandMetadata } from '../../write-model/command-runner';
import { deriveCommandId } from '../runtime/dispatch';
import { PaymentWebhookReceiver, type WebhookInbox } from './payment-webhooks';
import type { ProviderEvent } from './payment-provider.port';
import type { CapitalCommandInput } from './provider-events';
import { signatureHeader, verifySignature } from './webhook-signature';

const SECRET = 'unit-secret-unit-secret-unit-secret';
const NOW = new Date('2026-05-01T10:00:00.000Z');
const T = Math.floor(NOW.getTime() / 1000);
const REQUEST = '6a1d6f8e-2f0b-4c35-8f0e-3b7f2d9c1a40';

const event = (changes: Partial<ProviderEvent> = {}, metadata: Record<string, string> = { commitment: '2', attempt: '1' }): ProviderEvent => ({
  id: 'evt_1',
  type: 'capture.succeeded',
  created: T,
  data: { objectId: 'pay_1', idempotencyKey: `cap-${REQUEST}-2-1`, amount: '400.00', currency: 'USD', metadata: { tenant: 'acme', capitalRequestId: REQUEST, correlationId: 'corr-9', ...metadata }, reason: null },
  ...changes,
});

class MemoryInbox implements WebhookInbox {
  readonly handled = new Map<string, string>();
  seen(id: string): Promise<boolean> {
    return Promise.resolve(this.handled.has(id));
  }
  record(id: string, _type: string, outcome: string): Promise<void> {
    this.handled.set(id, outcome);
    return Promise.resolve();
  }
}

function receiver(run: (c: CapitalCommandInput, m: CommandMetadata) => Promise<unknown>, inbox = new MemoryInbox()) {
  return { inbox, receiver: new PaymentWebhookReceiver({ secret: SECRET, inbox, run, logger: pino({ level: 'silent' }), now: () => NOW }) };
}

describe('webhook signatures', () => {
  const body = '{"id":"evt_1"}';

  it('accepts the signature of the raw body within five minutes either way', () => {
    expect(verifySignature(SECRET, body, signatureHeader(SECRET, T - 299, body), T)).toEqual({ ok: true, timestamp: T - 299 });
    expect(verifySignature(SECRET, body, signatureHeader(SECRET, T + 299, body), T).ok).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'v1=abc'],
    ['invalid', signatureHeader('another-secret-another-secret-xx', T, body)],
    ['invalid', signatureHeader(SECRET, T, `${body} `)],
    ['stale', signatureHeader(SECRET, T - 301, body)],
    ['stale', signatureHeader(SECRET, T + 301, body)],
  ])('refuses a %s signature', (reason, header) => {
    expect(verifySignature(SECRET, body, header, T)).toEqual({ ok: false, reason });
  });

  it('accepts any of several v1 signatures (secret rotation)', () => {
    const header = `t=${T},v1=${'0'.repeat(64)},v1=${signatureHeader(SECRET, T, body).split('v1=')[1] ?? ''}`;
    expect(verifySignature(SECRET, body, header, T).ok).toBe(true);
  });
});

describe('the payment webhook receiver', () => {
  const deliver = (r: PaymentWebhookReceiver, e: unknown) => {
    const body = JSON.stringify(e);
    return r.receive(body, signatureHeader(SECRET, T, body));
  };

  it('turns a capture into CapturePayment for its commitment, with a command id from the provider event id', async () => {
    const runs: [CapitalCommandInput, CommandMetadata][] = [];
    const { receiver: r, inbox } = receiver((c, m) => Promise.resolve(runs.push([c, m])));
    expect(await deliver(r, event())).toEqual({ status: 200, body: { status: 'applied' } });
    expect(runs).toEqual([
      [
        { type: 'CapturePayment', data: { capitalRequestId: REQUEST, paymentId: 'pay_1', amount: '400.00', currency: 'USD', commitment: 2 } },
        { commandId: deriveCommandId('payment-webhook', 'evt_1'), correlationId: 'corr-9', causationId: 'evt_1', actor: 'provider:payments', tenant: 'acme', now: NOW.toISOString() },
      ],
    ]);
    expect(inbox.handled.get('evt_1')).toBe('applied');
  });

  it('answers a delivery it has handled as a duplicate without running anything', async () => {
    const run = jest.fn(() => Promise.resolve());
    const { receiver: r, inbox } = receiver(run);
    inbox.handled.set('evt_1', 'applied');
    expect(await deliver(r, event())).toEqual({ status: 200, body: { status: 'duplicate' } });
    expect(run).not.toHaveBeenCalled();
  });

  it('answers 200 to a refusal of the domain (no retry) and 503 to a failure of ours (retry)', async () => {
    const refused = receiver(() => Promise.reject(conflict('commitment 2 was already captured')));
    expect((await deliver(refused.receiver, event())).body).toEqual({ status: 'refused', message: 'DomainError: commitment 2 was already captured' });
    const failing = receiver(() => Promise.reject(new Error('connection reset')));
    expect((await deliver(failing.receiver, event())).status).toBe(503);
    expect(failing.inbox.handled.size).toBe(0);
  });

  it.each([
    ['a body that is not JSON', 'not json'],
    ['an unknown event type', { ...event(), type: 'capture.exploded' }],
    ['a capture without its commitment', event({}, {})],
    ['metadata without a tenant', { ...event(), data: { ...event().data, metadata: { capitalRequestId: REQUEST } } }],
  ])('refuses %s with 400', async (_name, body) => {
    const run = jest.fn(() => Promise.resolve());
    const { receiver: r } = receiver(run);
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    expect((await r.receive(raw, signatureHeader(SECRET, T, raw))).status).toBe(400);
    expect(run).not.toHaveBeenCalled();
  });

  it('maps failures, payouts and refunds to their commands', async () => {
    const runs: CapitalCommandInput[] = [];
    const { receiver: r } = receiver((c) => Promise.resolve(runs.push(c)));
    await deliver(r, event({ id: 'evt_2', type: 'capture.failed', data: { ...event().data, reason: 'insufficient funds' } }));
    await deliver(r, event({ id: 'evt_3', type: 'payout.succeeded', data: { ...event().data, objectId: 'po_1', amount: '1000.00' } }));
    await deliver(r, event({ id: 'evt_4', type: 'payout.failed', data: { ...event().data, idempotencyKey: 'payout-x-1', reason: 'closed' } }));
    await deliver(r, event({ id: 'evt_5', type: 'refund.succeeded', data: { ...event().data, objectId: 're_1', metadata: { ...event().data.metadata, paymentId: 'pay_1' } } }));
    expect(runs.map((c) => c.type)).toEqual(['RecordPaymentCaptureFailure', 'RecordDisbursement', 'RecordDisbursementFailure', 'RecordRefund']);
    expect(runs[0]?.data).toEqual({ capitalRequestId: REQUEST, commitment: 2, attempt: 1, reason: 'insufficient funds' });
    expect(runs[3]?.data).toEqual({ capitalRequestId: REQUEST, paymentId: 'pay_1', refundId: 're_1', amount: '400.00', currency: 'USD' });
  });
});
