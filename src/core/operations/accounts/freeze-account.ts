import { accountFreezeOperation } from './freezing.js';

export const freezeAccount = accountFreezeOperation('freeze_account', true);
