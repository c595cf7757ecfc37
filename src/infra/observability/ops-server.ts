import Fastify, { type FastifyInstance } from 'fastify';
import { scrape, metricsContentType } from './metrics';
import { checkReadiness, type ReadinessCheck } from './readiness';

/**
 * The operational endpoints of a worker role (projector, saga, relay), which serves no GraphQL:
 * GET /health (alive), GET /ready (its dependencies answer; 503 otherwise, with detail), GET /metrics.
 * The api role serves the same three routes from its NestJS application.
 */
export async function startOpsServer(options: {
  role: string;
  host: string;
  port: number;
  checks: () => readonly ReadinessCheck[];
}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/health', () => ({ status: 'ok', role: options.role }));
  app.get('/ready', async (_req, reply) => {
    const report = await checkReadiness(options.role, options.checks());
    return reply.code(report.status === 'ready' ? 200 : 503).send(report);
  });
  app.get('/metrics', async (_req, reply) => reply.header('content-type', metricsContentType).send(await scrape()));
  await app.listen({ host: options.host, port: options.port });
  return app;
}
