/**
 * The roles a participant may hold. Each says whether its holders oversee the whole
 * ledger (see every transaction and event) and whether they may own accounts; which
 * operations each role may send is declared by the operations themselves
 * (`initiators`). A later capability adds its role here, in one line.
 */
export interface RoleDefinition {
  readonly description: string;
  /** Sees every transaction, event and participant's KYC details. */
  readonly oversees: boolean;
  /** May own accounts, and so hold and move money. */
  readonly holdsAccounts: boolean;
}

export const ROLE_DEFINITIONS = {
  operator: { description: 'runs the network: registers participants, lists assets, opens accounts', oversees: true, holdsAccounts: false },
  issuer: { description: 'a bank issuing an asset: mints against deposits, burns on redemption', oversees: false, holdsAccounts: true },
  compliance: { description: 'sets KYC status, freezes and unfreezes accounts, orders forced transfers', oversees: true, holdsAccounts: false },
  auditor: { description: 'reads and verifies everything, signs nothing that changes the ledger', oversees: true, holdsAccounts: false },
  client: { description: 'an institution that holds accounts and pays', oversees: false, holdsAccounts: true },
  attester: { description: 'attests documents on which conditional payments wait (a carrier\'s bill of lading, an inspector\'s certificate); holds no money', oversees: false, holdsAccounts: false },
  signatory: { description: "an officer who approves what an institution's policies hold back (a payment above a limit, an administrative act); holds no money and sends nothing else", oversees: false, holdsAccounts: false },
  reserve_manager: { description: "watches a stablecoin's reserves for the issuer that appointed it: throttles its minters when coverage falls and attests the reserves daily; holds no money", oversees: false, holdsAccounts: false },
  reader: { description: 'a service following the whole ledger to act outside it (webhooks, statements, reports); signs nothing that changes it', oversees: true, holdsAccounts: false },
} as const satisfies Record<string, RoleDefinition>;

export type Role = keyof typeof ROLE_DEFINITIONS;

export const ROLES = Object.keys(ROLE_DEFINITIONS) as [Role, ...Role[]];

export function overseesLedger(roles: readonly Role[]): boolean {
  return roles.some((role) => ROLE_DEFINITIONS[role].oversees);
}

export function mayHoldAccounts(roles: readonly Role[]): boolean {
  return roles.some((role) => ROLE_DEFINITIONS[role].holdsAccounts);
}
