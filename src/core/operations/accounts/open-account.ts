import { Type } from 'typebox';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { mayHoldAccounts } from '../../roles.js';
import { Id } from '../../schema.js';
import { actsFor, hasRole, kycChecks, mustBeNew, mustExist } from '../checks.js';
import { withBalances } from '../effects.js';

export const accountOpened = defineEvent('account_opened', 'an account of an asset was opened for a participant', Type.Object({ account: Id, owner: Id, asset: Id }));

export const openAccount = operation({
  family: 'accounts',
  summary: 'open an account of an asset for a participant that may hold money',
  schema: Type.Object({ type: Type.Literal('open_account'), account: Id, owner: Id, asset: Id }, { additionalProperties: false }),
  initiators: ['operator', 'issuer', 'client'],
  consent: 'the operator, or the owner (or its delegate)',
  events: [accountOpened],
  describe: (op) => `open account ${op.account} in ${op.asset} for ${op.owner}`,
}).resolve((ctx, op) => ({ owner: ctx.draft.get('participants', op.owner), asset: ctx.draft.get('assets', op.asset), existing: ctx.draft.get('accounts', op.account) })).define({
  checks: [
    mustExist('participant_not_found', 'owner', 'participant', (env) => env.owner),
    mustExist('asset_not_found', 'asset', 'asset', (env) => env.asset),
    mustBeNew('account', 'account', (env) => env.existing),
    // Auditors, compliance and a bare operator hold no money, so they own no accounts.
    { code: 'invalid_role', field: 'owner', fails: (env) => !mayHoldAccounts(env.owner!.roles), explain: (env) => `participant "${env.owner!.id}" (${env.owner!.roles.join(', ')}) may not own accounts: only issuers and clients do` },
    {
      code: 'not_authorized', field: 'owner',
      fails: (_env, op, ctx) => !hasRole(ctx.sender, 'operator') && !actsFor(ctx, op.owner),
      explain: (_env, op) => `only the operator or "${op.owner}" (or its delegate) may open its accounts`,
    },
    kycChecks((env) => [env.owner!.id]),
  ],
  apply: (ctx, op) => {
    ctx.draft.put('accounts', op.account, { id: op.account, owner: op.owner, asset: op.asset, availableMinor: 0n, heldMinor: 0n, frozen: false });
    return [withBalances(ctx.draft, accountOpened.of({ account: op.account, owner: op.owner, asset: op.asset }, { accounts: [op.account] }))];
  },
  parties: (op) => [op.owner],
  accounts: (op) => [op.account],
});
