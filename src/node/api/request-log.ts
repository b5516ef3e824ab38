import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One log line per request, when it is answered (Fastify logs two: received and
 * completed), at a chosen level: debug on a demo's terminal, so that its banner and what
 * goes wrong stay in view; info elsewhere.
 */
export class OneLinePerRequest extends LogController {
  constructor(private readonly level: 'info' | 'debug') {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 };
    if (error !== null && error !== undefined) reply.log.error({ ...line, err: error }, `${request.method} ${request.url} ${reply.statusCode} failed`);
    else reply.log[this.level](line, `${request.method} ${request.url} ${reply.statusCode}`);
  }
}
