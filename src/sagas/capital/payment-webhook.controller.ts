import { Controller, HttpCode, Inject, Optional, Post, Req, Res, type RawBodyRequest } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLOCK, LOGGER, type Clock } from '../../app/tokens';
import type { Logger } from '../../infra/logger';
import { CapitalCommandRequest } from '../../write-model/capital/capital-workflow.handlers';
import { SAGA_API, type SagaApi } from '../saga-api';
import { PaymentWebhookReceiver } from './payment-webhooks';
import { SIGNATURE_HEADER } from './webhook-signature';

/** `POST /webhooks/payments`: the payment provider's signed events, turned into capital commands on the command bus. */
@Controller('webhooks')
export class PaymentWebhookController {
  private readonly receiver: PaymentWebhookReceiver | undefined;

  constructor(
    @Inject(CommandBus) bus: CommandBus,
    @Inject(LOGGER) logger: Logger,
    @Inject(CLOCK) clock: Clock,
    @Optional() @Inject(SAGA_API) sagaApi?: SagaApi,
  ) {
    this.receiver =
      sagaApi === undefined
        ? undefined
        : new PaymentWebhookReceiver({
            secret: sagaApi.webhookSecret,
            inbox: sagaApi.inbox,
            logger: logger.child({ component: 'payment-webhooks' }),
            now: () => clock.now(),
            run: (command, metadata) =>
              bus.execute(new CapitalCommandRequest({ ...command, context: { now: metadata.now, actor: metadata.actor, tenant: metadata.tenant } }, metadata)),
          });
  }

  @Post('payments')
  @HttpCode(200)
  async payments(@Req() request: RawBodyRequest<FastifyRequest>, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    if (this.receiver === undefined) {
      void reply.status(503);
      return { status: 'unavailable', message: 'payment webhooks are not configured in this process' };
    }
    const header = request.headers[SIGNATURE_HEADER];
    const raw = request.rawBody?.toString('utf8') ?? '';
    const answer = await this.receiver.receive(raw, typeof header === 'string' ? header : undefined);
    void reply.status(answer.status);
    return { ...answer.body };
  }
}
