import { LocalSigner, newSalt } from '../chain/index.js';
import { CHAIN_VERSION, type Genesis, type Operation, type ParticipantSpec, type Role, type TransactionBody } from '../core/index.js';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

interface DemoParticipant {
  id: string;
  legalName: string;
  lei: string;
  jurisdiction: string;
  roles: Role[];
  delegates?: string[];
}

/** The demo network: an operator and its duty officer, an auditor, two issuer banks (one with its core-banking link), a custodian, three institutional clients and a treasurer of one, two attesters, the compliance desk, a Hong Kong stablecoin issuer with its reserve manager, the trade desk and the notifier. */
export const DEMO_PARTICIPANTS: readonly DemoParticipant[] = [
  { id: 'operator', legalName: 'Depositum Network Operator Ltd', lei: '529900T8BM49AURSDO55', jurisdiction: 'US', roles: ['operator', 'compliance'] },
  { id: 'auditor', legalName: 'Ledger Assurance LLP', lei: '5493000IBP32UQZ0KL24', jurisdiction: 'GB', roles: ['auditor'] },
  // First Meridian's core-banking link (the banking module's identity): a minter of its dollars, and its delegate, so it sees the bank's redemptions.
  { id: 'banking', legalName: 'First Meridian Bank, N.A. (core-banking link)', lei: '7H6GLXDRUGQFU57RNE97', jurisdiction: 'US', roles: ['issuer'] },
  { id: 'first-meridian', legalName: 'First Meridian Bank, N.A.', lei: '7H6GLXDRUGQFU57RNE97', jurisdiction: 'US', roles: ['issuer'], delegates: ['banking'] },
  { id: 'straits-bank', legalName: 'Straits Commerce Bank Ltd', lei: '549300ZFEEJ2IP5VME73', jurisdiction: 'SG', roles: ['issuer'] },
  { id: 'acme', legalName: 'Acme Logistics Inc.', lei: '5493001KJTIIGC8Y1R12', jurisdiction: 'US', roles: ['client'] },
  { id: 'globex', legalName: 'Globex Trading Pte. Ltd.', lei: '254900OPPU84GM83MG36', jurisdiction: 'SG', roles: ['client'] },
  { id: 'initech', legalName: 'Initech Manufacturing GmbH', lei: '391200FJBNU0YW987L26', jurisdiction: 'DE', roles: ['client'] },
  // A custodian bank issuing a demo bond, so a delivery-versus-payment settles a real security leg.
  { id: 'meridian-custody', legalName: 'Meridian Custody Services, N.A.', lei: '5493006CUSTODY0US164', jurisdiction: 'US', roles: ['issuer'] },
  // Attesters on whose documents conditional payments wait: a carrier and an inspector.
  { id: 'oceanic-lines', legalName: 'Oceanic Lines Shipping Pte. Ltd.', lei: '5493004CARRIER0SG125', jurisdiction: 'SG', roles: ['attester'] },
  { id: 'veritas-inspect', legalName: 'Veritas Inspection Services SA', lei: '5493007INSPECT0CH142', jurisdiction: 'CH', roles: ['attester'] },
  // Second officers for maker-checker and dual control: Acme's treasurer approves what Acme's policies hold back; the duty officer, the operator's acts.
  { id: 'acme-treasurer', legalName: 'Acme Logistics Inc. (treasury officer)', lei: '5493001KJTIIGC8Y1R12', jurisdiction: 'US', roles: ['signatory'] },
  { id: 'duty-officer', legalName: 'Depositum Network Operator Ltd (duty officer)', lei: '529900T8BM49AURSDO55', jurisdiction: 'US', roles: ['operator', 'compliance'] },
  // The identity of the compliance module: it screens participants and reads what compliance reads.
  { id: 'compliance', legalName: 'Depositum Network Operator Ltd (compliance desk)', lei: '529900T8BM49AURSDO55', jurisdiction: 'US', roles: ['compliance'] },
  // A Hong Kong stablecoin issuer, and the identity of its reserves module (it watches the reserves, throttles minting and attests daily).
  { id: 'harbour-stable', legalName: 'Harbour Stablecoin Issuer Ltd', lei: '5493008HARBOURHK0136', jurisdiction: 'HK', roles: ['issuer'] },
  { id: 'reserves', legalName: 'Harbour Stablecoin Issuer Ltd (reserve management)', lei: '5493008HARBOURHK0136', jurisdiction: 'HK', roles: ['reserve_manager'] },
  // The identity of the trade module (a B2B platform's agreements desk): it follows the agreements signed on the ledger.
  { id: 'trade', legalName: 'Depositum Network Operator Ltd (trade desk)', lei: '529900T8BM49AURSDO55', jurisdiction: 'US', roles: ['reader'] },
  // The identity of the notifier module (webhooks): it follows every event and sends nothing.
  { id: 'notifier', legalName: 'Depositum Network Operator Ltd', lei: '529900T8BM49AURSDO55', jurisdiction: 'US', roles: ['reader'] },
];

/**
 * Three deposit tokens (US dollars of two banks, so that their clients pay each other at par,
 * and Singapore dollars), a Hong Kong dollar stablecoin backed by a reserve pool, and a bond (whole units, by ISIN); each holder's account of one is
 * `<holder>-<suffix>`.
 */
export const DEMO_ASSETS = [
  { asset: 'usd-fmb', kind: 'deposit_token', code: 'USD', decimals: 2, issuer: 'first-meridian', suffix: 'usd', allowance: '1000000000.00' },
  { asset: 'sgd-scb', kind: 'deposit_token', code: 'SGD', decimals: 2, issuer: 'straits-bank', suffix: 'sgd', allowance: '1000000000.00' },
  { asset: 'usd-scb', kind: 'deposit_token', code: 'USD', decimals: 2, issuer: 'straits-bank', suffix: 'usd-scb', allowance: '1000000000.00' },
  { asset: 'hkd-hsi', kind: 'stablecoin', code: 'HKD', decimals: 2, issuer: 'harbour-stable', suffix: 'hkd', allowance: '1000000000.00' },
  { asset: 'bond-2030', kind: 'security', code: 'US91282CJL55', decimals: 0, issuer: 'meridian-custody', suffix: 'bond', allowance: '10000000' },
] as const;

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
    delegates: participant.delegates ?? [],
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

export function demoAccountId(participant: string, asset: (typeof DEMO_ASSETS)[number]): string {
  return `${participant}-${asset.suffix}`;
}

/** The transactions that populate a demo network, each with the participant that signs it. */
export function demoSetup(network: DemoNetwork, nowMs: number): { body: TransactionBody; signer: string }[] {
  const validUntilMs = nowMs + 60 * 60 * 1000;
  const body = (sender: string, id: string, operations: Operation[]): TransactionBody => ({ network: network.genesis.network, id, sender, validUntilMs, operations, memo: 'demo network setup', salt: newSalt() });
  const registrations: Operation[] = DEMO_PARTICIPANTS.slice(1).map((p) => ({ type: 'register_participant', participant: spec(p, network.signers.get(p.id)!, nowMs) }));
  const assets: Operation[] = DEMO_ASSETS.map((a) => ({ type: 'define_asset', asset: a.asset, kind: a.kind, code: a.code, decimals: a.decimals, issuer: a.issuer }));
  const holders = DEMO_PARTICIPANTS.filter((p) => p.roles.includes('client')).map((p) => p.id);
  const accounts: Operation[] = DEMO_ASSETS.flatMap((a) =>
    [a.issuer, ...holders].map((owner): Operation => ({ type: 'open_account', account: demoAccountId(owner, a), owner, asset: a.asset })),
  );
  return [
    { signer: 'operator', body: body('operator', 'setup-network', [...registrations, ...assets, ...accounts]) },
    ...[...new Set(DEMO_ASSETS.map((a) => a.issuer))].map((issuer) => ({
      signer: issuer,
      body: body(issuer, 'setup-minter', [
        ...DEMO_ASSETS.filter((a) => a.issuer === issuer).map((a): Operation => ({ type: 'configure_minter', asset: a.asset, minter: a.issuer, allowance: a.allowance })),
        ...(issuer === 'first-meridian' ? [{ type: 'configure_minter', asset: 'usd-fmb', minter: 'banking', allowance: '100000000.00' } as const] : []),
        ...(issuer === 'harbour-stable' ? [{ type: 'appoint_reserve_manager', asset: 'hkd-hsi', manager: 'reserves' } as const] : []),
      ]),
    })),
  ];
}
