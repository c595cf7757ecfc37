import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';

const secret = 'x'.repeat(32);

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the defaults to an empty environment', () => {
    expect(loadConfig({})).toEqual({
      nodeEnv: 'development',
      role: 'all',
      host: '127.0.0.1',
      port: 4000,
      logLevel: 'info',
      dataDir: resolve('./.data'),
    });
  });

  it('reads every variable when all are valid', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      EVENTSTORE_CONNECTION_STRING: 'esdb+discover://a:2113,b:2113?tls=false',
      ELASTICSEARCH_URL: 'http://es:9200',
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      REDIS_URL: 'redis://cache:6379',
      AUTH_JWT_SECRET: secret,
      PORT: '8080',
      HOST: '0.0.0.0',
      NODE_ENV: 'production',
      LOG_LEVEL: 'debug',
      DATA_DIR: '/var/lib/app',
      ROLE: 'projector',
    });
    expect(config).toEqual({
      role: 'projector',
      databaseUrl: 'postgres://u:p@db:5432/app',
      eventStoreConnectionString: 'esdb+discover://a:2113,b:2113?tls=false',
      elasticsearchUrl: 'http://es:9200',
      kafkaBrokers: ['k1:9092', 'k2:9093'],
      redisUrl: 'redis://cache:6379',
      authJwtSecret: secret,
      port: 8080,
      host: '0.0.0.0',
      nodeEnv: 'production',
      logLevel: 'debug',
      dataDir: '/var/lib/app',
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: ' ' }).port).toBe(4000);
  });

  it.each([
    ['PORT', '0', /^PORT must be an integer from 1 to 65535/],
    ['PORT', '65536', /^PORT must be an integer from 1 to 65535/],
    ['PORT', 'http', /^PORT must be an integer/],
    ['DATABASE_URL', 'mysql://db/app', /^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/],
    ['DATABASE_URL', 'not a url', /^DATABASE_URL .*not a valid URL/],
    ['EVENTSTORE_CONNECTION_STRING', 'http://es:2113', /^EVENTSTORE_CONNECTION_STRING must be an EventStoreDB/],
    ['ELASTICSEARCH_URL', 'es:9200', /^ELASTICSEARCH_URL must be a http:\/\/ or https:\/\/ URL/],
    ['KAFKA_BROKERS', 'k1:9092,k2', /^KAFKA_BROKERS must be a comma-separated list of host:port, but "k2" is not/],
    ['REDIS_URL', 'http://cache', /^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
    ['AUTH_JWT_SECRET', 'short', /^AUTH_JWT_SECRET must be at least 32 characters long \(got 5\)/],
    ['NODE_ENV', 'staging', /^NODE_ENV must be one of development, production, test/],
    ['LOG_LEVEL', 'loud', /^LOG_LEVEL must be one of fatal, error/],
    ['HOST', 'a b', /^HOST must be a host name/],
  ])('rejects %s=%s with a message naming the variable', (name, value, message) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('reports every problem together', () => {
    const problems = problemsOf({ PORT: 'x', REDIS_URL: 'nope', KAFKA_BROKERS: ':1', LOG_LEVEL: 'x' });
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['LOG_LEVEL', 'PORT', 'KAFKA_BROKERS', 'REDIS_URL']);
  });

  it('refuses production without AUTH_JWT_SECRET', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^AUTH_JWT_SECRET is required when NODE_ENV=production/),
    ]);
  });

  it('never echoes a URL that may hold a password', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'mysql://user:hunter2@db/app' });
    expect(problem).not.toContain('hunter2');
  });

  it('refuses an unknown role and a relay without brokers, naming the variable', () => {
    expect(() => loadConfig({ ROLE: 'worker' })).toThrow(/ROLE must be one of all, api, projector, saga, relay/);
    expect(() => loadConfig({ ROLE: 'relay' })).toThrow(/ROLE=relay needs KAFKA_BROKERS/);
    expect(loadConfig({ ROLE: 'relay', KAFKA_BROKERS: 'k:9092' }).role).toBe('relay');
  });
});
