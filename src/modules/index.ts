import type { LedgerModule } from './kit/module.js';
import type { ModuleName } from './names.js';

/** Where a module is started: its node's data directory, and whether that node runs the demo network. */
export interface ModuleSite {
  readonly dataDir: string;
  readonly demo: boolean;
}

/**
 * The modules a node can run by name (`start --modules`, `module run`). Later issues add
 * theirs here and in names.ts. Each is loaded when it is started, not with the node: a
 * module's libraries (language models, XML schemas, a solver) cost every process that
 * does not run it its start-up time.
 */
export const MODULES: Readonly<Record<ModuleName, (site: ModuleSite) => Promise<LedgerModule>>> = {
  notifier: async () => (await import('./notifier/index.js')).notifierModule(),
  banking: async (site) => {
    const [{ bankingModule }, { bankingSettingsFor }] = await Promise.all([import('./banking/index.js'), import('./banking/settings.js')]);
    return bankingModule(bankingSettingsFor(site));
  },
  compliance: async (site) => {
    const [{ complianceModule }, { complianceSettingsFor }] = await Promise.all([import('./compliance/index.js'), import('./compliance/settings.js')]);
    return complianceModule(complianceSettingsFor(site));
  },
  reserves: async (site) => {
    const [{ reservesModule }, { reservesSettingsFor }] = await Promise.all([import('./reserves/index.js'), import('./reserves/settings.js')]);
    return reservesModule(reservesSettingsFor(site));
  },
  trade: async () => (await import('./trade/index.js')).tradeModule(),
};

export async function moduleNamed(name: string, site: ModuleSite): Promise<LedgerModule> {
  const make = (MODULES as Readonly<Record<string, ((site: ModuleSite) => Promise<LedgerModule>) | undefined>>)[name];
  if (make === undefined) throw new Error(`no module "${name}"; known: ${Object.keys(MODULES).join(', ')}`);
  return make(site);
}
