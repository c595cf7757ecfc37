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
