import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { traceHttpRequests } from '../infra/observability/http-tracing';
import { AppModule, type AppDependencies } from './app.module';
import { NestPinoLogger } from './nest-logger';

/** Requests larger than this are refused before parsing (GraphQL inputs are small; schemas bound every string). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The NestJS application on fastify, initialised but not listening (tests `inject`, main listens). */
export async function createApp(deps: AppDependencies): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, logger: false });
  // Before Nest registers anything: every route, GraphQL included, runs inside its request's server span.
  traceHttpRequests(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(deps), adapter, {
    logger: new NestPinoLogger(deps.logger),
    abortOnError: false,
    // Payment webhooks are signed over their exact bytes (POST /webhooks/payments reads `rawBody`).
    rawBody: true,
  });
  await app.init();
  return app;
}
