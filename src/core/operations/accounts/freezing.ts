import { Type } from 'typebox';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Id } from '../../schema.js';
import { mustExist } from '../checks.js';
import { withBalances } from '../effects.js';

/** freeze_account and unfreeze_account: compliance's, with opposite effects. A frozen account neither sends nor receives. */
export function accountFreezeOperation<T extends 'freeze_account' | 'unfreeze_account'>(type: T, frozen: boolean) {
  const changed = defineEvent(frozen ? 'account_frozen' : 'account_unfrozen', frozen ? 'the account can neither send nor receive' : 'the account may send and receive again', Type.Object({ account: Id }));
  return operation({
    family: 'accounts',
    summary: frozen ? 'freeze an account: it neither sends nor receives' : 'unfreeze an account',
    schema: Type.Object({ type: Type.Literal(type), account: Id }, { additionalProperties: false }),
    initiators: ['compliance'],
    consent: 'compliance',
    events: [changed],
    describe: (op) => `${frozen ? 'freeze' : 'unfreeze'} account ${op.account}`,
  }).resolve((ctx, op) => ({ account: ctx.draft.get('accounts', op.account) })).define({
    checks: [mustExist('account_not_found', 'account', 'account', (env) => env.account)],
    apply: (ctx, _op, env) => {
      const account = env.account!;
      ctx.draft.put('accounts', account.id, { ...account, frozen });
      return [withBalances(ctx.draft, changed.of({ account: account.id }, { accounts: [account.id] }))];
    },
    parties: (op, lookup) => [lookup.ownerOf(op.account)],
    accounts: (op) => [op.account],
    act: () => (frozen ? null : { act: 'unfreeze_account' }),
  });
}
