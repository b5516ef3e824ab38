import { LocalSigner, newSalt } from '../chain/index.js';
import { CHAIN_VERSION, type Genesis, type Operation, type ParticipantSpec, type Role, type TransactionBody } from '../core/index.js';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

interface DemoParticipant {
  id: string;
  legalName: string;
  lei: string;
  jurisdiction: string;
  roles: Role[];
}

/** The demo network: an operator, an auditor, two issuer banks and three institutional clients. */
export const DEMO_PARTICIPANTS: readonly DemoParticipant[] = [
  { id: 'operator', legalName: 'Depositum Network Operator Ltd', lei: '529900T8BM49AURSDO55', jurisdiction: 'US', roles: ['operator', 'compliance'] },
  { id: 'auditor', legalName: 'Ledger Assurance LLP', lei: '5493000IBP32UQZ0KL24', jurisdiction: 'GB', roles: ['auditor'] },
  { id: 'first-meridian', legalName: 'First Meridian Bank, N.A.', lei: '7H6GLXDRUGQFU57RNE97', jurisdiction: 'US', roles: ['issuer'] },
  { id: 'straits-bank', legalName: 'Straits Commerce Bank Ltd', lei: '549300ZFEEJ2IP5VME73', jurisdiction: 'SG', roles: ['issuer'] },
  { id: 'acme', legalName: 'Acme Logistics Inc.', lei: '5493001KJTIIGC8Y1R12', jurisdiction: 'US', roles: ['client'] },
  { id: 'globex', legalName: 'Globex Trading Pte. Ltd.', lei: '254900OPPU84GM83MG36', jurisdiction: 'SG', roles: ['client'] },
  { id: 'initech', legalName: 'Initech Manufacturing GmbH', lei: '391200FJBNU0YW987L26', jurisdiction: 'DE', roles: ['client'] },
  // The identity of the notifier module (webhooks): it follows every event and sends nothing.
  { id: 'notifier', legalName: 'Depositum Network Operator Ltd', lei: '529900T8BM49AURSDO55', jurisdiction: 'US', roles: ['reader'] },
];

export const DEMO_ASSETS = [
  { asset: 'usd-fmb', code: 'USD', issuer: 'first-meridian' },
  { asset: 'sgd-scb', code: 'SGD', issuer: 'straits-bank' },
] as const;

/** What each issuer may mint in the demo, in major units. */
const DEMO_MINTER_ALLOWANCE = '1000000000.00';

export interface DemoNetwork {
  genesis: Genesis;
  validator: LocalSigner;
  signers: Map<string, LocalSigner>;
}

function spec(participant: DemoParticipant, signer: LocalSigner, nowMs: number): ParticipantSpec {
  return {
    ...participant,
    kycStatus: 'approved',
    kycExpiresAtMs: nowMs + YEAR_MS,
    keys: [{ id: signer.keyId, publicKey: signer.publicKey }],
    delegates: [],
  };
}

/** Fresh keys and a genesis for a demo network named `network`. */
export function createDemoNetwork(network: string, nowMs: number): DemoNetwork {
  const signers = new Map(DEMO_PARTICIPANTS.map((p) => [p.id, LocalSigner.generate(p.id, `${p.id}-1`)]));
  const validator = LocalSigner.generate('operator', 'validator-1');
  const operator = DEMO_PARTICIPANTS[0]!;
  const genesis: Genesis = {
    chainVersion: CHAIN_VERSION,
    network,
    createdAtMs: nowMs,
    operator: spec(operator, signers.get(operator.id)!, nowMs),
    validators: [{ id: validator.keyId, publicKey: validator.publicKey }],
  };
  return { genesis, validator, signers };
}

export function demoAccountId(participant: string, asset: string): string {
  return `${participant}-${asset.slice(0, 3)}`;
}

/** The transactions that populate a demo network, each with the participant that signs it. */
export function demoSetup(network: DemoNetwork, nowMs: number): { body: TransactionBody; signer: string }[] {
  const validUntilMs = nowMs + 60 * 60 * 1000;
  const body = (sender: string, id: string, operations: Operation[]): TransactionBody => ({ network: network.genesis.network, id, sender, validUntilMs, operations, memo: 'demo network setup', salt: newSalt() });
  const registrations: Operation[] = DEMO_PARTICIPANTS.slice(1).map((p) => ({ type: 'register_participant', participant: spec(p, network.signers.get(p.id)!, nowMs) }));
  const assets: Operation[] = DEMO_ASSETS.map((a) => ({ type: 'define_asset', asset: a.asset, kind: 'deposit_token', code: a.code, decimals: 2, issuer: a.issuer }));
  const holders = DEMO_PARTICIPANTS.filter((p) => p.roles.includes('client')).map((p) => p.id);
  const accounts: Operation[] = DEMO_ASSETS.flatMap((a) =>
    [a.issuer, ...holders].map((owner): Operation => ({ type: 'open_account', account: demoAccountId(owner, a.asset), owner, asset: a.asset })),
  );
  return [
    { signer: 'operator', body: body('operator', 'setup-network', [...registrations, ...assets, ...accounts]) },
    ...DEMO_ASSETS.map((a) => ({
      signer: a.issuer,
      body: body(a.issuer, 'setup-minter', [{ type: 'configure_minter', asset: a.asset, minter: a.issuer, allowance: DEMO_MINTER_ALLOWANCE }]),
    })),
  ];
}
