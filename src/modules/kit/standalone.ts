import type { FastifyBaseLogger } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { DepositumClient } from '../../sdk/index.js';
import type { ModuleDatabaseLocation } from './database.js';
import { prepareModule } from './host.js';
import type { LedgerModule } from './module.js';
import type { RunnerOptions } from './runner.js';
import { startModule } from './host.js';
import { buildModuleServer } from './server.js';

export interface StandaloneOptions {
  module: LedgerModule;
  /** Signed as the module's participant, pointed at the node(s). */
  client: DepositumClient;
  database: ModuleDatabaseLocation;
  host: string;
  port: number;
  log: FastifyBaseLogger;
  runner?: Partial<RunnerOptions>;
}

/** A module as its own process: its tables, its runner following the node's feed, its routes on its own port. What was opened is closed if a step fails (a port in use), so the process exits. */
export async function runStandaloneModule(options: StandaloneOptions): Promise<{ url: string; close(): Promise<void> }> {
  const prepared = await prepareModule(options.module, options.database, options.log);
  let app: Awaited<ReturnType<typeof buildModuleServer>> | undefined;
  try {
    // The process's figures (its event loop's longest hold, memory, CPU), its runner's and the module's own counts; none of the module's data.
    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics, labels: { module: options.module.name } });
    app = await buildModuleServer(prepared, options.client, options.log, metrics);
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const url = `http://${options.host}:${typeof address === 'object' && address !== null ? address.port : options.port}`;
    const runner = await startModule(prepared, options.client, options.runner, metrics);
    const server = app;
    return {
      url,
      close: async () => {
        await runner.stop();
        await server.close();
        await prepared.close();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined); // the step that failed is what to report
    await prepared.close().catch(() => undefined);
    throw error;
  }
}
