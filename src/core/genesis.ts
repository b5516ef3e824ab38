import { LedgerState } from './state.js';
import type { ParticipantSpec, PublicKeyEntry } from './types.js';

/**
 * What a network starts from: its id, its operator (the one participant not registered
 * by a transaction) and the validators whose keys sign blocks. Its hash anchors the chain.
 */
export interface Genesis {
  network: string;
  createdAtMs: number;
  operator: ParticipantSpec;
  validators: PublicKeyEntry[];
}

export function genesisState(genesis: Genesis): LedgerState {
  const state = new LedgerState();
  const { operator } = genesis;
  state.participants.set(operator.id, {
    id: operator.id,
    legalName: operator.legalName,
    lei: operator.lei,
    jurisdiction: operator.jurisdiction,
    roles: [...operator.roles],
    kycStatus: operator.kycStatus,
    kycExpiresAtMs: operator.kycExpiresAtMs ?? null,
    keys: operator.keys.map((key) => ({ ...key })),
    delegates: [...(operator.delegates ?? [])],
  });
  state.changed.participants.add(operator.id);
  return state;
}
