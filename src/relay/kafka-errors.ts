/** Producer errors after which its id and sequence numbers are worthless: a new producer is needed. */
const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING', 'PRODUCER_FENCED',
]);

export function producerStateLost(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const fields = e as Error & { type?: unknown; originalError?: unknown };
    if (typeof fields.type === 'string' && PRODUCER_STATE_ERRORS.has(fields.type)) return true;
    if (e.name === 'KafkaJSNonRetriableError' && fields.originalError === undefined && e.cause === undefined) return true;
    e = fields.originalError ?? e.cause;
  }
  return false;
}

export const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
