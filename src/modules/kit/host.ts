import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import { ROLE_DEFINITIONS, type Participant } from '../../core/index.js';
import type { DepositumClient } from '../../sdk/index.js';
import { migrateModule, MODULE_NAME, openModuleDatabase, type ModuleDatabaseLocation } from './database.js';
import { KIT_MIGRATIONS } from './kit-tables.js';
import type { LedgerModule, ModuleContext, ModuleServices } from './module.js';
import { ModuleRunner, RUNNER_DEFAULTS, type RunnerOptions } from './runner.js';
import { runnerMetrics } from './runner-metrics.js';

/** A module with its tables ready: what its routes need before the node listens. */
export interface PreparedModule {
  readonly module: LedgerModule;
  readonly services: ModuleServices;
  close(): Promise<void>;
}

/** Opens the module's database and brings the kit's and the module's tables up to date. */
export async function prepareModule(module: LedgerModule, location: ModuleDatabaseLocation, log: FastifyBaseLogger): Promise<PreparedModule> {
  if (!MODULE_NAME.test(module.name)) throw new Error(`module name "${module.name}" is not lower-case letters and digits`);
  const db = openModuleDatabase(location);
  try {
    await migrateModule(db, 'kit', KIT_MIGRATIONS);
    await migrateModule(db, module.name, module.migrations);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { module, services: { name: module.name, db, log: log.child({ module: module.name }), nowMs: () => Date.now() }, close: () => db.destroy() };
}

/** Refuses to start a module whose participant lacks a role it needs (and says which). */
export async function checkIdentity(module: LedgerModule, client: DepositumClient): Promise<void> {
  const self = await client.participantInfo(client.participant) as unknown as Participant;
  const missing = module.roles.filter((role) => !self.roles.includes(role));
  if (missing.length > 0) {
    throw new Error(`module ${module.name}: participant ${client.participant} lacks role ${missing.join(', ')} (${missing.map((role) => ROLE_DEFINITIONS[role].description).join('; ')})`);
  }
}

/**
 * Starts following the feed; stop() waits for the event in hand and gives up the lease.
 * Its runner's figures go to `metrics`, the registry its process serves at /metrics.
 */
export async function startModule(prepared: PreparedModule, client: DepositumClient, options: Partial<RunnerOptions> = {}, metrics?: Registry): Promise<ModuleRunner> {
  await checkIdentity(prepared.module, client);
  const context: ModuleContext = { ...prepared.services, client, wake: () => runner.requestStep(), follow: () => runner.follow(), ...(metrics !== undefined && { metrics }) };
  const runner = new ModuleRunner(prepared.module, context, { ...RUNNER_DEFAULTS, ...options }, metrics === undefined ? undefined : runnerMetrics(metrics, prepared.module.name));
  runner.start();
  return runner;
}
