import { randomBytes } from 'node:crypto';
import type { CapitalWorkflowSettings } from './capital/capital.workflow';
import type { SimulatedProviderOptions } from './capital/simulated-provider';
import type { GEDSIWorkflowSettings } from './gedsi/gedsi.workflow';

const DAY = 86_400_000;

export interface SagaConfig {
  readonly capital: CapitalWorkflowSettings;
  readonly gedsi: GEDSIWorkflowSettings;
  readonly provider: SimulatedProviderOptions;
  /** HMAC secret of payment webhooks; generated for the run outside production when unset (`generatedSecret`). */
  readonly webhookSecret: string;
  readonly generatedSecret: boolean;
}

export const DEFAULT_CAPITAL_SETTINGS: CapitalWorkflowSettings = {
  readinessWindowMs: 14 * DAY,
  dueDiligenceWindowMs: 10 * DAY,
  commitmentWindowMs: 30 * DAY,
  captureAttempts: 3,
  captureRetryBaseMs: 5 * 60_000,
};

export const DEFAULT_GEDSI_SETTINGS: GEDSIWorkflowSettings = {
  verificationWindowMs: 14 * DAY,
  reportingGraceMs: 30 * DAY,
  percentPoints: 10,
  ratio: 0.2,
  countRelative: 0.25,
};

export class SagaConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid saga configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SagaConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;
export const MIN_WEBHOOK_SECRET_LENGTH = 32;

/** Reads the saga and payment settings from the environment; throws a `SagaConfigError` listing every bad variable. */
export function loadSagaConfig(env: Env = process.env): SagaConfig {
  const problems: string[] = [];
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const number = (name: string, fallback: number, check: (n: number) => boolean, what: string): number => {
    const value = raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || !check(n)) {
      problems.push(`${name} must be ${what} (got ${JSON.stringify(value.slice(0, 40))})`);
      return fallback;
    }
    return n;
  };
  const duration = (name: string, fallback: number): number => number(name, fallback, (n) => Number.isInteger(n) && n >= 0, 'a whole number of milliseconds');
  const rate = (name: string): number => number(name, 0, (n) => n >= 0 && n <= 1, 'a number from 0 to 1');

  const capital: CapitalWorkflowSettings = {
    readinessWindowMs: duration('SAGA_READINESS_WINDOW_MS', DEFAULT_CAPITAL_SETTINGS.readinessWindowMs),
    dueDiligenceWindowMs: duration('SAGA_DUE_DILIGENCE_WINDOW_MS', DEFAULT_CAPITAL_SETTINGS.dueDiligenceWindowMs),
    commitmentWindowMs: duration('SAGA_COMMITMENT_WINDOW_MS', DEFAULT_CAPITAL_SETTINGS.commitmentWindowMs),
    captureAttempts: number('SAGA_CAPTURE_ATTEMPTS', DEFAULT_CAPITAL_SETTINGS.captureAttempts, (n) => Number.isInteger(n) && n >= 1 && n <= 100, 'an integer from 1 to 100'),
    captureRetryBaseMs: duration('SAGA_CAPTURE_RETRY_MS', DEFAULT_CAPITAL_SETTINGS.captureRetryBaseMs),
  };
  const gedsi: GEDSIWorkflowSettings = {
    ...DEFAULT_GEDSI_SETTINGS,
    verificationWindowMs: duration('SAGA_VERIFICATION_WINDOW_MS', DEFAULT_GEDSI_SETTINGS.verificationWindowMs),
    reportingGraceMs: duration('SAGA_REPORTING_GRACE_MS', DEFAULT_GEDSI_SETTINGS.reportingGraceMs),
  };
  const timeoutMode = raw('SIM_PROVIDER_TIMEOUT_MODE') ?? 'after';
  if (timeoutMode !== 'before' && timeoutMode !== 'after') problems.push('SIM_PROVIDER_TIMEOUT_MODE must be before or after');
  const provider: SimulatedProviderOptions = {
    seed: raw('SIM_PROVIDER_SEED') ?? 'simulated-provider',
    latencyMs: duration('SIM_PROVIDER_LATENCY_MS', 0),
    captureDeclineRate: rate('SIM_PROVIDER_CAPTURE_DECLINE_RATE'),
    payoutDeclineRate: rate('SIM_PROVIDER_PAYOUT_DECLINE_RATE'),
    timeoutRate: rate('SIM_PROVIDER_TIMEOUT_RATE'),
    timeoutMode: timeoutMode === 'before' ? 'before' : 'after',
    duplicateWebhookRate: rate('SIM_PROVIDER_DUPLICATE_RATE'),
    maxWebhookDelayMs: duration('SIM_PROVIDER_MAX_WEBHOOK_DELAY_MS', 0),
  };
  let webhookSecret = raw('PAYMENT_WEBHOOK_SECRET');
  const production = raw('NODE_ENV') === 'production';
  if (webhookSecret !== undefined && webhookSecret.length < MIN_WEBHOOK_SECRET_LENGTH) {
    problems.push(`PAYMENT_WEBHOOK_SECRET must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters long (got ${webhookSecret.length})`);
  }
  if (webhookSecret === undefined && production) problems.push('PAYMENT_WEBHOOK_SECRET is required when NODE_ENV=production');
  if (problems.length > 0) throw new SagaConfigError(problems);
  const generatedSecret = webhookSecret === undefined;
  webhookSecret ??= randomBytes(32).toString('base64url');
  return { capital, gedsi, provider, webhookSecret, generatedSecret };
}
