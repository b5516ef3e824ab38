import { accountFreezeOperation } from './freezing.js';

export const unfreezeAccount = accountFreezeOperation('unfreeze_account', false);
