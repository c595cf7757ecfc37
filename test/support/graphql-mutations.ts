import type { TestApi } from '../../src/app/testing/api-harness';

/** The contract's mutations as the e2e tests send them, each selecting `result` of its MutationResult. */
export function mutations(result: string) {
  const mutation = (name: string, input: string) => `mutation($input: ${input}!) { ${name}(input: $input) { ${result} } }`;
  return {
    CREATE: mutation('createVenture', 'CreateVentureInput'),
    UPDATE: mutation('updateVentureProfile', 'UpdateVentureProfileInput'),
    RECORD: mutation('recordGEDSIMetric', 'RecordGEDSIMetricInput'),
    VERIFY: mutation('verifyGEDSIMetric', 'VerifyGEDSIMetricInput'),
    REQUEST: mutation('requestCapital', 'RequestCapitalInput'),
    COMMIT: mutation('commitInvestment', 'CommitInvestmentInput'),
    CAPTURE: mutation('capturePayment', 'CapturePaymentInput'),
  };
}

/** Sends one mutation and returns its MutationResult; any error fails the test with the whole answer. */
export async function mutationResult(
  api: Pick<TestApi, 'graphql'>,
  query: string,
  input: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<{ aggregateId: string; position: string }> {
  const { data, errors, raw } = await api.graphql(query, { input }, headers);
  if (errors.length > 0 || data === null) throw new Error(`expected success, got ${raw}`);
  return Object.values(data)[0] as { aggregateId: string; position: string };
}
