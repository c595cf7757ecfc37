import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const REPO_ROOT = join(__dirname, '..', '..');
const PID_FILE = join(REPO_ROOT, '.services', 'kafka', 'kafka.pid');
const KAFKA_SCRIPT = join(REPO_ROOT, 'scripts', 'services', 'kafka.sh');

type Target = { readonly brokers: readonly string[] } | { readonly missing: string };

/** True when one of the brokers accepts a TCP connection within 3 s (checked in a child: jest collects synchronously). */
function reachable(brokers: readonly string[]): boolean {
  const probe = `
    const net = require('node:net');
    const brokers = ${JSON.stringify(brokers)};
    let left = brokers.length;
    for (const b of brokers) {
      const i = b.lastIndexOf(':');
      const s = net.connect({ host: b.slice(0, i).replace(/^\\[|\\]$/g, ''), port: Number(b.slice(i + 1)) });
      s.setTimeout(3000);
      s.on('connect', () => process.exit(0));
      const fail = () => { s.destroy(); if (--left === 0) process.exit(1); };
      s.on('error', fail);
      s.on('timeout', fail);
    }`;
  try {
    execFileSync(process.execPath, ['-e', probe], { timeout: 10_000, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function kafkaTarget(options: { localProcess?: boolean }): Target {
  const raw = process.env.KAFKA_BROKERS?.trim();
  if (!raw) return { missing: 'KAFKA_BROKERS is not set (e.g. KAFKA_BROKERS=127.0.0.1:9092 after `bash scripts/services/kafka.sh start`)' };
  const brokers = raw.split(',').map((b) => b.trim());
  if (!reachable(brokers)) return { missing: `no Kafka broker answers at KAFKA_BROKERS=${raw} (start one: bash scripts/services/kafka.sh start)` };
  if (options.localProcess && !existsSync(PID_FILE)) {
    return { missing: `KAFKA_BROKERS=${raw} is not the broker of scripts/services/kafka.sh (no ${PID_FILE}): it cannot be killed and restarted` };
  }
  return { brokers };
}

/**
 * `describe` for tests that need a real Kafka broker at KAFKA_BROKERS. Without one the suite is skipped with one
 * line saying so, except under CI, where a missing broker fails the suite instead of silently skipping it.
 * `localProcess`: the tests also kill and restart the broker of `scripts/services/kafka.sh`.
 */
export function describeWithKafka(name: string, body: (brokers: readonly string[]) => void, options: { localProcess?: boolean } = {}): void {
  const target = kafkaTarget(options);
  if ('brokers' in target) {
    describe(name, () => body(target.brokers));
  } else if (process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase())) {
    describe(name, () => {
      it('needs a Kafka broker (CI is set: a missing broker is a failure, not a skip)', () => {
        throw new Error(target.missing);
      });
    });
  } else {
    process.stderr.write(`[skipped] ${name}: ${target.missing}\n`);
    describe.skip(name, () => it('needs a Kafka broker', () => undefined));
  }
}

/** kill -9 of the local broker (pid file of scripts/services/kafka.sh); resolves once the process is gone. */
export async function killBroker(): Promise<number> {
  const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
  process.kill(pid, 'SIGKILL');
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return pid;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `bash scripts/services/kafka.sh start` (idempotent); resolves with the seconds it took. */
export async function startBroker(): Promise<number> {
  const started = Date.now();
  await promisify(execFile)('bash', [KAFKA_SCRIPT, 'start'], { cwd: REPO_ROOT, timeout: 180_000 });
  return (Date.now() - started) / 1000;
}
