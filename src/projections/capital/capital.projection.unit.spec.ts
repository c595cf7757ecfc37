import { projectInMemory, rowsOf, settle } from '../runtime/fold';
import { decodeState } from '../shared/state-codec';
import { envelope } from '../testing/envelopes';
import { capitalProjection } from './capital.projection';
import { requestsOfJoinedViews, toRequest, type RequestRow } from './capital.queries';

const id = '7d1f4c6a-3b2e-4f0a-9c8d-1e2f3a4b5c6d';
const venture = '0b8f2c1e-5d0c-4d6a-9a57-0e1f6a3c2b11';
const stream = `capital-${id}`;
const requested = envelope(
  'CapitalRequested',
  { capitalRequestId: id, ventureId: venture, amount: '1000.00', currency: 'USD', instrument: 'GRANT', purpose: 'Solar kits' },
  { streamId: stream, revision: 0, occurredAt: '2026-05-01T10:00:00.000Z' },
);
const committed = (rev: number, amount: string, total: string) =>
  envelope('InvestmentCommitted', { capitalRequestId: id, investorId: '11111111-2222-4333-8444-555555555555', amount, currency: 'USD', totalCommitted: total }, { streamId: stream, revision: rev });
const captured = (rev: number, amount: string, total: string) =>
  envelope('PaymentCaptured', { capitalRequestId: id, paymentId: `pay-${rev}`, amount, currency: 'USD', totalCaptured: total, commitment: null }, { streamId: stream, revision: rev, schemaVersion: 2 });

const requests = (events: Parameters<typeof projectInMemory>[1]) => rowsOf(projectInMemory(capitalProjection.views, events), 0);

describe('capital projection', () => {
  it('derives the status and totals with the capital aggregate’s own evolve', () => {
    expect(requests([requested])).toEqual([
      expect.objectContaining({ id, venture_id: venture, status: 'REQUESTED', requested: '1000.00', committed: '0.00', captured: '0.00', purpose: 'Solar kits', requested_at: '2026-05-01T10:00:00.000Z' }),
    ]);
    expect(requests([requested, committed(1, '400.00', '400.00')])[0]).toMatchObject({ status: 'REQUESTED', committed: '400.00' });
    expect(requests([requested, committed(1, '1000.00', '1000.00')])[0]).toMatchObject({ status: 'COMMITTED', committed: '1000.00' });
    expect(requests([requested, committed(1, '1000.00', '1000.00'), captured(2, '1000.00', '1000.00')])[0]).toMatchObject({ status: 'CAPTURED', captured: '1000.00' });
  });

  it('stores the aggregate state, which decodes back to bigint amounts', () => {
    const [row] = requests([requested, committed(1, '400.00', '400.00')]);
    expect(decodeState<{ committed: bigint; requested: bigint }>(String(row?.['state']))).toMatchObject({ committed: 40000n, requested: 100000n });
  });

  it('writes each request with its CapitalRequest view, which reads back as the row does (captured net of refunds)', () => {
    const refunded = envelope('PaymentRefunded', { capitalRequestId: id, paymentId: 'pay-2', refundId: 'refund-1', amount: '100.00', currency: 'USD', totalRefunded: '100.00' }, { streamId: stream, revision: 3 });
    for (const events of [[requested], [requested, committed(1, '1000.00', '1000.00'), captured(2, '600.00', '600.00')], [requested, committed(1, '1000.00', '1000.00'), captured(2, '600.00', '600.00'), refunded]]) {
      const [row] = requests(events);
      expect(requestsOfJoinedViews(String(row?.['view']))).toEqual([toRequest(row as unknown as RequestRow)]);
    }
    const [row] = requests([requested, committed(1, '1000.00', '1000.00'), captured(2, '600.00', '600.00'), refunded]);
    expect(requestsOfJoinedViews(String(row?.['view']))[0]).toMatchObject({ captured: { amount: '500.00', currency: 'USD' }, requestedAt: '2026-05-01T10:00:00.000Z' });
    expect(requestsOfJoinedViews(undefined)).toEqual([]);
  });

  it('refuses a commitment in another currency than the request (a poison event)', () => {
    const wrong = envelope('InvestmentCommitted', { capitalRequestId: id, investorId: 'x', amount: '1', currency: 'EUR', totalCommitted: '1' }, { streamId: stream, revision: 1 });
    expect(() => requests([requested, wrong])).toThrow();
  });

  it('changes nothing when the same events are applied again', () => {
    const events = [requested, committed(1, '1000.00', '1000.00'), captured(2, '600.00', '600.00')];
    const once = projectInMemory(capitalProjection.views, events);
    expect(rowsOf(projectInMemory(capitalProjection.views, events, settle(once, 2)), 0)).toEqual(rowsOf(once, 0));
  });
});
