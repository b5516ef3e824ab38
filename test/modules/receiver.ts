import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { webhookProblem, WEBHOOK_SIGNATURE_HEADER } from '../../src/sdk/index.js';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered: a status, or 'hung' (no answer until the sender gave up). */
  answer: number | 'hung';
}

/**
 * A real HTTP receiver of webhooks whose behaviour the test switches: answer 2xx, fail
 * with 500, or hang (answer nothing until the sender times out).
 */
export class WebhookReceiver {
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  readonly received: Received[] = [];
  private server: Server | null = null;
  private readonly hung = new Set<() => void>();

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        const mode = this.mode;
        this.received.push({ headers: request.headers, body, answer: mode === 'hang' ? 'hung' : mode === 'ok' ? 204 : 500 });
        if (mode === 'hang') {
          const release = (): void => void response.destroy();
          this.hung.add(release);
          return;
        }
        response.writeHead(mode === 'ok' ? 204 : 500).end(mode === 'ok' ? undefined : 'receiver down for maintenance');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address !== 'object') throw new Error('no address');
    return `http://127.0.0.1:${address.port}/hooks`;
  }

  /** Deliveries the receiver accepted, in the order they arrived, each with its signature checked against `secret`. */
  accepted(secret: string): { endpoint: string; delivery: string; position: string; type: string; signatureProblem: string | null }[] {
    return this.received.filter((r) => r.answer === 204).map((r) => {
      const document = JSON.parse(r.body) as { id: string; endpoint: string; event: { position: string; type: string } };
      return { endpoint: document.endpoint, delivery: document.id, position: document.event.position, type: document.event.type, signatureProblem: webhookProblem(secret, r.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined, r.body, Date.now()) };
    });
  }

  async stop(): Promise<void> {
    for (const release of this.hung) release();
    await new Promise<void>((resolve) => (this.server === null ? resolve() : this.server.close(() => resolve())));
  }
}
