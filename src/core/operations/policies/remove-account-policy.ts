import { Type } from 'typebox';
import { operation } from '../../operation.js';
import { Id } from '../../schema.js';
import { actsFor, mustExist } from '../checks.js';
import { accountPolicyRemoved } from './events.js';
import { accountRequirement } from './rules.js';

/** The owner removes an account's policy, with the approvals that policy requires. */
export const removeAccountPolicy = operation({
  family: 'policies',
  summary: "remove an account's policy (with the approvals it requires)",
  schema: Type.Object({ type: Type.Literal('remove_account_policy'), account: Id }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: "the account's owner (or a delegate), and the approvals its policy requires",
  events: [accountPolicyRemoved],
  describe: (op) => `remove the policy of ${op.account}`,
}).resolve((ctx, op) => ({ account: ctx.draft.get('accounts', op.account), policy: ctx.draft.get('account_policies', op.account) })).define({
  checks: [
    mustExist('account_not_found', 'account', 'account', (env) => env.account),
    { code: 'policy_not_found', field: 'account', fails: (env) => env.policy?.enabled !== true, explain: (_env, op) => `${op.account} has no policy in force` },
    { code: 'not_authorized', field: 'account', fails: (env, _op, ctx) => !actsFor(ctx, env.account!.owner), explain: (env) => `only ${env.account!.owner} (or its delegate) may remove the policy of ${env.account!.id}` },
  ],
  apply: (ctx, op, env) => {
    ctx.draft.put('account_policies', op.account, { ...env.policy!, enabled: false });
    return [{ event: accountPolicyRemoved.of({ account: op.account }, { accounts: [op.account], participants: env.policy!.approvers }), balances: [] }];
  },
  parties: (op, lookup) => [lookup.ownerOf(op.account)],
  accounts: (op) => [op.account],
  requirements: (_op, env) => [accountRequirement(env.policy!)],
});
