import { parseAmount } from '../amount.js';
import type { OperationContext, OperationOutcome } from '../context.js';
import { hasRole, signedByRole } from '../context.js';
import { allowanceKey } from '../state.js';
import type { Operation } from '../types.js';

type Define = Extract<Operation, { type: 'define_asset' }>;
type Pause = Extract<Operation, { type: 'pause_asset' | 'unpause_asset' }>;
type ConfigureMinter = Extract<Operation, { type: 'configure_minter' }>;

/** Only the operator lists an asset, naming the issuer that alone can mint and burn it. */
export function defineAsset(ctx: OperationContext, op: Define): OperationOutcome {
  const issuer = ctx.draft.get('participants', op.issuer);
  if (issuer === undefined) return 'participant_not_found';
  if (ctx.draft.get('assets', op.asset) !== undefined) return 'already_exists';
  if (!hasRole(issuer, 'issuer')) return 'invalid_role';
  if (!signedByRole(ctx, 'operator')) return 'not_authorized';
  ctx.draft.put('assets', op.asset, {
    id: op.asset,
    kind: op.kind,
    code: op.code,
    decimals: op.decimals,
    issuer: op.issuer,
    paused: false,
    issuedMinor: 0n,
    redeemedMinor: 0n,
  });
  ctx.parties.add(op.issuer);
  return null;
}

/** The operator or the asset's own issuer stops (or restarts) every movement of it. */
export function setAssetPaused(ctx: OperationContext, op: Pause): OperationOutcome {
  const asset = ctx.draft.get('assets', op.asset);
  if (asset === undefined) return 'asset_not_found';
  if (!signedByRole(ctx, 'operator') && !ctx.signers.has(asset.issuer)) return 'not_authorized';
  ctx.draft.put('assets', asset.id, { ...asset, paused: op.type === 'pause_asset' });
  ctx.parties.add(asset.issuer);
  return null;
}

/** The issuer sets how much a minter may still issue; the new figure replaces the old. */
export function configureMinter(ctx: OperationContext, op: ConfigureMinter): OperationOutcome {
  const asset = ctx.draft.get('assets', op.asset);
  if (asset === undefined) return 'asset_not_found';
  const minter = ctx.draft.get('participants', op.minter);
  if (minter === undefined) return 'participant_not_found';
  const parsed = parseAmount(op.allowance, asset.decimals);
  if (!parsed.ok) return parsed.reason === 'precision' ? 'amount_too_precise' : parsed.reason === 'overflow' ? 'amount_overflow' : 'invalid_amount';
  if (!hasRole(minter, 'issuer')) return 'invalid_role';
  if (!ctx.signers.has(asset.issuer)) return 'not_authorized';
  const key = allowanceKey(asset.id, minter.id);
  ctx.draft.put('allowances', key, { asset: asset.id, minter: minter.id, remainingMinor: parsed.minor });
  ctx.parties.add(asset.issuer).add(minter.id);
  return null;
}
