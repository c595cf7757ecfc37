/** The contract's CapitalRequestStatus values, in its order. */
export const CAPITAL_REQUEST_STATUSES = ['REQUESTED', 'DUE_DILIGENCE', 'PROPOSED', 'COMMITTED', 'CAPTURED', 'DISBURSED', 'REJECTED', 'EXPIRED', 'CANCELLED'] as const;
