import { accounts } from './account.js';
import { allowances } from './allowance.js';
import { assets } from './asset.js';
import { conditionalPayments } from './conditional-payment.js';
import { holds } from './hold.js';
import { participants } from './participant.js';
import { accountPolicies, controlPolicies, proposals } from './policy.js';
import { settlements } from './settlement.js';
import { standingInstructions } from './instruction.js';
import { interbankObligations, parMembers } from './par.js';
import { reconciliations } from './reconciliation.js';
import { reports } from './report.js';
import { travelRuleThresholds } from './travel-rule.js';
import { reserveAttestations, reserveMandates } from './reserve.js';
import { tradeAgreements } from './trade-agreement.js';

/**
 * Every kind of entity the ledger keeps, in a fixed order (the order snapshots and state
 * roots visit them). Adding one is one declaration here: the state, drafts, snapshots
 * and the state root take it from this list.
 */
export const ENTITIES = [participants, assets, accounts, holds, allowances, conditionalPayments, settlements, accountPolicies, controlPolicies, proposals, standingInstructions, parMembers, interbankObligations, reconciliations, reports, travelRuleThresholds, reserveMandates, reserveAttestations, tradeAgreements] as const;

export type EntityDefinitions = typeof ENTITIES;
export type TableName = EntityDefinitions[number]['table'];
type DefinitionOf<N extends TableName> = Extract<EntityDefinitions[number], { table: N }>;
export type Entities = { [N in TableName]: ReturnType<DefinitionOf<N>['decode']> };

export const TABLE_NAMES: readonly TableName[] = ENTITIES.map((entity) => entity.table);

const BY_TABLE = new Map<string, EntityDefinitions[number]>(ENTITIES.map((entity) => [entity.table, entity]));

export function entityDefinition<N extends TableName>(table: N): DefinitionOf<N> {
  const definition = BY_TABLE.get(table);
  if (definition === undefined) throw new Error(`invariant: no entity ${table}`);
  return definition as DefinitionOf<N>;
}

export { accountPolicies, accounts, allowances, assets, conditionalPayments, controlPolicies, holds, interbankObligations, parMembers, participants, proposals, reconciliations, reports, reserveAttestations, reserveMandates, settlements, standingInstructions, tradeAgreements, travelRuleThresholds };
export * from './account.js';
export * from './allowance.js';
export * from './asset.js';
export * from './conditional-payment.js';
export * from './hold.js';
export * from './report.js';
export * from './travel-rule.js';
export * from './participant.js';
export * from './policy.js';
export * from './settlement.js';
export * from './instruction.js';
export * from './par.js';
export * from './reconciliation.js';
export * from './reserve.js';
export * from './trade-agreement.js';

/** An entity's snapshot encoding (fields in schema order, amounts as decimal strings of minor units). */
export function encodeEntity<N extends TableName>(table: N, entity: Entities[N]): string {
  return (entityDefinition(table).encode as (value: Entities[N]) => string)(entity);
}

export function decodeEntity<N extends TableName>(table: N, body: string): Entities[N] {
  return entityDefinition(table).decode(body) as Entities[N];
}
