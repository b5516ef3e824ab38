import { Type } from 'typebox';
import { Keys, type PublicKeyEntry } from './entities/index.js';
import { ParticipantSpec, participantFromSpec } from './operations/index.js';
import { Id, TimeMs } from './schema.js';
import { LedgerState } from './state.js';

import { CHAIN_VERSION } from './chain-version.js';

export { CHAIN_VERSION } from './chain-version.js';

/**
 * What a network starts from: its id, its operator (the one participant not registered
 * by a transaction) and the validators whose keys sign blocks. Its hash anchors the chain.
 */
export interface Genesis {
  chainVersion: number;
  network: string;
  createdAtMs: number;
  operator: ParticipantSpec;
  validators: PublicKeyEntry[];
}

/** A genesis file as `init` writes it and every node checks it when it starts: the same rules as the API's. */
export const GenesisSchema = Type.Object({
  chainVersion: Type.Literal(CHAIN_VERSION),
  network: Id,
  createdAtMs: TimeMs,
  operator: ParticipantSpec,
  validators: Keys,
}, { additionalProperties: false });

export function genesisState(genesis: Genesis): LedgerState {
  const state = new LedgerState();
  state.participants.set(genesis.operator.id, participantFromSpec(genesis.operator));
  state.changed.participants.add(genesis.operator.id);
  return state;
}
