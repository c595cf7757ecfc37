import type { LoggerService } from '@nestjs/common';
import type { Logger } from '../infra/logger';

const text = (message: unknown): string => (typeof message === 'string' ? message : JSON.stringify(message));

/** Nest's own messages (module wiring, route mapping) go to the same JSON log, at Nest's level. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.debug({ context }, text(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, text(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, text(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, text(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, text(message));
  }
}
