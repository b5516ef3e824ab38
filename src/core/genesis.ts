import type { PublicKeyEntry } from './entities/index.js';
import { participantFromSpec, type ParticipantSpec } from './operations/index.js';
import { LedgerState } from './state.js';

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
  state.participants.set(genesis.operator.id, participantFromSpec(genesis.operator));
  state.changed.participants.add(genesis.operator.id);
  return state;
}
