import { DEFAULT_CAPITAL_SETTINGS, loadSagaConfig, SagaConfigError } from './saga-config';

describe('saga configuration', () => {
  it('uses the defaults and generates a webhook secret outside production', () => {
    const config = loadSagaConfig({});
    expect(config.capital).toEqual(DEFAULT_CAPITAL_SETTINGS);
    expect(config.generatedSecret).toBe(true);
    expect(config.webhookSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('reads windows, provider knobs and the secret', () => {
    const config = loadSagaConfig({
      SAGA_COMMITMENT_WINDOW_MS: '5000',
      SAGA_CAPTURE_ATTEMPTS: '2',
      SIM_PROVIDER_CAPTURE_DECLINE_RATE: '0.25',
      SIM_PROVIDER_TIMEOUT_MODE: 'before',
      PAYMENT_WEBHOOK_SECRET: 's'.repeat(32),
    });
    expect(config.capital.commitmentWindowMs).toBe(5000);
    expect(config.capital.captureAttempts).toBe(2);
    expect(config.provider).toMatchObject({ captureDeclineRate: 0.25, timeoutMode: 'before' });
    expect(config.webhookSecret).toBe('s'.repeat(32));
  });

  it('lists every bad variable at once', () => {
    const attempt = () => loadSagaConfig({ SAGA_CAPTURE_ATTEMPTS: '0', SIM_PROVIDER_TIMEOUT_RATE: '2', PAYMENT_WEBHOOK_SECRET: 'short', SAGA_READINESS_WINDOW_MS: '-1' });
    expect(attempt).toThrow(SagaConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as SagaConfigError).problems).toHaveLength(4);
    }
  });

  it('requires the webhook secret in production', () => {
    expect(() => loadSagaConfig({ NODE_ENV: 'production' })).toThrow(/PAYMENT_WEBHOOK_SECRET is required/);
  });
});
