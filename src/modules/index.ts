import type { LedgerModule } from './kit/module.js';
import type { ModuleName } from './names.js';
import { bankingModule } from './banking/index.js';
import { bankingSettingsFor } from './banking/settings.js';
import { notifierModule } from './notifier/index.js';
import { complianceModule } from './compliance/index.js';
import { complianceSettingsFor } from './compliance/settings.js';
import { reservesModule } from './reserves/index.js';
import { reservesSettingsFor } from './reserves/settings.js';
import { tradeModule } from './trade/index.js';

/** Where a module is started: its node's data directory, and whether that node runs the demo network. */
export interface ModuleSite {
  readonly dataDir: string;
  readonly demo: boolean;
}

/** The modules a node can run by name (`start --modules`, `module run`). Later issues add theirs here and in names.ts. */
export const MODULES: Readonly<Record<ModuleName, (site: ModuleSite) => LedgerModule>> = {
  notifier: () => notifierModule(),
  banking: (site) => bankingModule(bankingSettingsFor(site)),
  compliance: (site) => complianceModule(complianceSettingsFor(site)),
  reserves: (site) => reservesModule(reservesSettingsFor(site)),
  trade: () => tradeModule(),
};

export function moduleNamed(name: string, site: ModuleSite): LedgerModule {
  const make = (MODULES as Readonly<Record<string, ((site: ModuleSite) => LedgerModule) | undefined>>)[name];
  if (make === undefined) throw new Error(`no module "${name}"; known: ${Object.keys(MODULES).join(', ')}`);
  return make(site);
}
