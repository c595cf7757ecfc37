import { Controller, Get, Header, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { metricsContentType, scrape } from '../infra/observability/metrics';
import { checkReadiness, type ReadinessCheck } from '../infra/observability/readiness';
import { READINESS_CHECKS } from './tokens';

/** GET /health (alive), GET /ready (dependencies answer, 503 otherwise, with detail), GET /metrics (Prometheus). */
@Controller()
export class OpsController {
  constructor(@Inject(READINESS_CHECKS) private readonly readiness: { role: string; checks: () => readonly ReadinessCheck[] }) {}

  @Get('health')
  health(): { status: 'ok'; role: string } {
    return { status: 'ok', role: this.readiness.role };
  }

  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const report = await checkReadiness(this.readiness.role, this.readiness.checks());
    await reply.code(report.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send(report);
  }

  @Get('metrics')
  @Header('content-type', metricsContentType)
  metrics(): Promise<string> {
    return scrape();
  }
}
