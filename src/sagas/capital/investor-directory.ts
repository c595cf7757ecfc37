import type { Pool } from 'pg';
import { parseAmount } from '../../shared/money';
import type { InvestorRegistered } from '../../write-model/investor/domain/investor.events';
import { nothing, type Saga } from '../runtime/saga';
import { decodeState } from '../runtime/state-codec';

export const INVESTOR_DIRECTORY = 'investor-directory';

export type InvestorProfile = InvestorRegistered['data'];

/**
 * The investor registry as the capital saga reads it: a stateful event processor on the saga runtime (one instance per
 * investor, its state the profile), so it shares the runtime's lease, checkpoint and exactly-once state writes.
 */
export const investorDirectory: Saga<InvestorProfile | null> = {
  name: INVESTOR_DIRECTORY,
  canHandle: ['InvestorRegistered'],
  correlate: (event) => ({ key: String(event.data['investorId']), starts: true }),
  initialState: () => null,
  evolve: (_state, event) => event.data as InvestorProfile,
  decide: () => nothing,
  associations: () => [],
  isDone: () => false,
};

export interface MatchCriteria {
  readonly sector: string;
  readonly country: string;
  readonly instrument: string;
  readonly currency: string;
  /** The requested amount, in minor units of `currency`. */
  readonly amount: bigint;
}

/** An investor matches a request by sector (case-insensitive), country (an empty list: any), instrument, currency and minimum ticket. */
export const investorMatches = (investor: InvestorProfile, c: MatchCriteria): boolean =>
  investor.currency === c.currency &&
  (investor.instruments as readonly string[]).includes(c.instrument) &&
  investor.sectors.some((s) => s.toLowerCase() === c.sector.toLowerCase()) &&
  (investor.countries.length === 0 || investor.countries.includes(c.country)) &&
  parseAmount(investor.minTicket, investor.currency) <= c.amount;

export const MAX_PROPOSED = 200;

/** The matching investors of a tenant, in investor id order (at most MAX_PROPOSED). */
export async function matchInvestors(pool: Pool, tenant: string, criteria: MatchCriteria): Promise<string[]> {
  const res = await pool.query<{ state: unknown }>('SELECT state FROM saga_instances WHERE saga = $1 AND tenant = $2 ORDER BY key', [INVESTOR_DIRECTORY, tenant]);
  return res.rows
    .map((r) => decodeState(r.state) as InvestorProfile)
    .filter((investor) => investorMatches(investor, criteria))
    .map((investor) => investor.investorId)
    .slice(0, MAX_PROPOSED);
}
