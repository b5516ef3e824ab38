import type { LedgerModule } from './kit/module.js';
import type { ModuleName } from './names.js';
import { bankingModule } from './banking/index.js';
import { loadBankingSettings } from './banking/settings.js';
import { notifierModule } from './notifier/index.js';

/** The modules a node can run by name (`start --modules`, `module run`). Later issues add theirs here and in names.ts. */
export const MODULES: Readonly<Record<ModuleName, () => LedgerModule>> = {
  notifier: () => notifierModule(),
  banking: () => bankingModule(loadBankingSettings()),
};

export function moduleNamed(name: string): LedgerModule {
  const make = (MODULES as Readonly<Record<string, (() => LedgerModule) | undefined>>)[name];
  if (make === undefined) throw new Error(`no module "${name}"; known: ${Object.keys(MODULES).join(', ')}`);
  return make();
}
