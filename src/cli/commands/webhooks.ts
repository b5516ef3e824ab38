import type { Command } from 'commander';
import type { DepositumClient } from '../../sdk/index.js';
import { integerArg } from '../arguments.js';
import type { Cli } from '../context.js';
import { shortTime, table } from '../format.js';

interface Endpoint { id: string; owner: string; url: string; types: string[]; enabled: boolean; createdAtMs: number; secret?: string }
interface Delivery { id: string; endpoint: string; position: string; type: string; status: string; attempts: number; nextAttemptAtMs: number | null; lastStatusCode: number | null; lastError: string | null }

const endpoints = async (client: DepositumClient): Promise<Endpoint[]> => (await client.request<{ data: Endpoint[] }>('GET', '/v1/notifier/endpoints')).data;

/** Webhooks through the notifier module (a node started with --modules notifier, or the module's own URL as --url). */
export function webhookCommands(program: Command, cli: Cli): void {
  const webhooks = program.command('webhooks').description('webhook endpoints and their deliveries (the notifier module)');

  webhooks.command('create')
    .description('register an endpoint: the events you may see (of --types) are POSTed to it, signed with the secret printed once')
    .requiredOption('--endpoint <url>', 'where deliveries are POSTed (http or https)')
    .option('--types <types>', 'comma-separated event types (default: every type)')
    .addHelpText('after', '\nExample:\n  $ depositum --as acme webhooks create --endpoint https://erp.acme.example/depositum --types transferred,hold_posted')
    .action(async (o: { endpoint: string; types?: string }) => {
      const client = await cli.client();
      const endpoint = await client.request<Endpoint>('POST', '/v1/notifier/endpoints', { url: o.endpoint, ...(o.types !== undefined && { types: o.types.split(',') }) });
      cli.print(endpoint, () => [
        `endpoint ${endpoint.id} → ${endpoint.url} (${endpoint.types.length === 0 ? 'every event type' : endpoint.types.join(', ')})`,
        `secret ${endpoint.secret ?? ''}`,
        'Keep the secret: it is not shown again. Check each delivery\'s depositum-signature header with it (docs/api.md, Webhooks).',
      ].join('\n'));
    });

  webhooks.command('list')
    .description('your endpoints (an overseer: every one)')
    .action(async () => {
      const list = await endpoints(await cli.client());
      cli.print(list, () => table(['endpoint', 'owner', 'url', 'types', 'enabled'], list.map((e) => [e.id, e.owner, e.url, e.types.join(',') || '*', e.enabled ? 'yes' : 'no']), { maxWidths: { 2: 50, 3: 40 } }));
    });

  webhooks.command('deliveries [endpoint]')
    .description("deliveries to an endpoint (default: each of yours), newest first, with attempts and the receiver's last answer")
    .option('--limit <n>', 'how many per endpoint', integerArg(1, 500), 20)
    .action(async (endpoint: string | undefined, o: { limit: number }) => {
      const client = await cli.client();
      const ids = endpoint === undefined ? (await endpoints(client)).map((e) => e.id) : [endpoint];
      const all: Delivery[] = [];
      for (const id of ids) all.push(...(await client.request<{ data: Delivery[] }>('GET', `/v1/notifier/endpoints/${encodeURIComponent(id)}/deliveries?limit=${o.limit}`)).data);
      const answer = (d: Delivery): string => d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : d.lastError ?? '';
      cli.print(all, () => table(['delivery', 'endpoint', 'event', 'type', 'status', 'attempts', 'next attempt', 'last answer'],
        all.map((d) => [d.id, d.endpoint, d.position, d.type, d.status, String(d.attempts), d.nextAttemptAtMs === null ? '' : shortTime(d.nextAttemptAtMs), answer(d)]),
        { right: new Set([5]), maxWidths: { 0: 16, 7: 40 } }));
    });

  webhooks.command('redeliver <delivery>')
    .description('send a delivery again now (logged as a manual attempt; a success closes it)')
    .action(async (delivery: string) => {
      const attempt = await (await cli.client()).request<{ statusCode: number | null; error: string | null; durationMs: number }>('POST', `/v1/notifier/deliveries/${encodeURIComponent(delivery)}/redeliver`);
      cli.print(attempt, () => `${attempt.statusCode === null ? 'no answer' : `HTTP ${attempt.statusCode}`} in ${attempt.durationMs} ms${attempt.error === null ? '' : `: ${attempt.error}`}`);
    });
}
