import { Option, type Command } from 'commander';
import { ASSET_KINDS, type AssetKind } from '../../core/vocabulary.js';
import type { AccountBalance, DepositumClient, HistoryLine } from '../../sdk/index.js';
import { DECIMALS_MAX } from '../../core/amount.js';
import { dateArg, integerArg } from '../arguments.js';
import type { Cli } from '../context.js';
import { groupDigits, shortTime, signedChange, table } from '../format.js';

/** Accounts and assets: opening, freezing and pausing them, balances, history and supply. */
export function accountCommands(program: Command, cli: Cli): void {
  program.command('open-account <account>')
    .description('open an account (as the operator, or as its owner)')
    .requiredOption('--owner <participant>', 'owner').requiredOption('--asset <asset>', 'asset held')
    .action(async (account: string, o: { owner: string; asset: string }) => {
      await cli.submit([{ type: 'open_account', account, owner: o.owner, asset: o.asset }]);
    });

  for (const [name, type, what] of [['freeze', 'freeze_account', 'freeze an account: it neither sends nor receives (compliance)'], ['unfreeze', 'unfreeze_account', 'unfreeze an account (compliance)']] as const) {
    program.command(`${name} <account>`).description(what).action(async (account: string) => {
      await cli.submit([{ type, account }]);
    });
  }

  program.command('balances')
    .description('available and held balances of the accounts you may see, now or as of a date')
    .option('--owner <participant>', 'only this owner\'s accounts')
    .option('--at <date>', 'as of a date (2026-11-21: the end of that day, UTC) or a date-time', dateArg)
    .addHelpText('after', '\nExamples:\n  $ depositum --as acme balances\n  $ depositum --as acme balances --at 2026-11-20')
    .action(async (o: { owner?: string; at?: string }) => {
      const client = await cli.client();
      const accounts = await everyAccount(client, o.owner);
      const shown: (AccountBalance & { asOf?: string | null })[] = o.at === undefined ? accounts : await Promise.all(accounts.map((a) => client.balanceAt(a.id, o.at!)));
      const rows = shown.map((a) => [a.id, a.owner, a.asset, groupDigits(a.available), groupDigits(a.held), a.frozen ? 'frozen' : '']);
      cli.print(shown, () => `${o.at === undefined ? '' : `as of ${o.at}\n`}${table(['account', 'owner', 'asset', 'available', 'held', ''], rows, { right: new Set([3, 4]) })}`);
    });

  program.command('payee-check <account>')
    .description("before paying: does the account take payments, and is its owner's legal name the one you expect? (match, close match with the registered name, no match, unavailable)")
    .requiredOption('--name <legal-name>', 'the name you expect, e.g. "Globex Trading Pte. Ltd."')
    .action(async (account: string, o: { name: string }) => {
      const answer = await (await cli.client()).payeeCheck(account, o.name);
      const words = { match: 'match', close_match: `close match: registered as "${answer.registeredName ?? ''}"`, no_match: 'no match', unavailable: 'unavailable: the account does not take payments' };
      cli.print(answer, () => `${account}: ${words[answer.result]}`);
    });

  program.command('history <account>')
    .description("an account's history, newest first: each line with its change, the balance after it, counterparty, reference and memo (rejected attempts included)")
    .option('--limit <n>', 'how many lines', integerArg(1, 500), 20)
    .option('--after <position>', 'continue after this position (printed as "next" under a page)')
    .option('--reference <ref>', 'only lines of this reference')
    .option('--counterparty <id>', 'only lines with this account or participant on the other side')
    .option('--from <date>', 'from this date or date-time (inclusive)', dateArg)
    .option('--to <date>', 'up to this date (the whole day, UTC) or date-time (inclusive)', dateArg)
    .addHelpText('after', '\nExamples:\n  $ depositum --as acme history acme-usd\n  $ depositum --as acme history acme-usd --counterparty globex-usd --from 2026-11-01 --to 2026-11-30')
    .action(async (account: string, o: { limit: number; after?: string; reference?: string; counterparty?: string; from?: string; to?: string }) => {
      const page = await (await cli.client()).history(account, {
        limit: o.limit,
        ...(o.after !== undefined && { startingAfter: o.after }), ...(o.reference !== undefined && { reference: o.reference }),
        ...(o.counterparty !== undefined && { counterparty: o.counterparty }), ...(o.from !== undefined && { from: o.from }), ...(o.to !== undefined && { to: o.to }),
      });
      cli.print(page, () => {
        const lines = [table(HISTORY_COLUMNS, page.data.map(historyRow), { right: new Set([2, 3]), maxWidths: { 1: 30, 4: 20, 5: 20, 6: 24, 7: 10 } })];
        if (page.next !== null && page.has_more) lines.push(`next: depositum history ${account} --after ${page.next}`);
        return lines.join('\n');
      });
    });

  program.command('define-asset <asset>')
    .description('list a new asset (operator)')
    .requiredOption('--code <code>', 'ISO 4217 currency or ISIN').requiredOption('--issuer <participant>', 'issuing bank')
    .option('--decimals <n>', 'decimal places of the unit', integerArg(0, DECIMALS_MAX), 2)
    .addOption(new Option('--kind <kind>', 'kind of asset').choices(ASSET_KINDS).default('deposit_token'))
    .action(async (asset: string, o: { code: string; issuer: string; decimals: number; kind: AssetKind }) => {
      const op = { type: 'define_asset' as const, asset, kind: o.kind, code: o.code, decimals: o.decimals, issuer: o.issuer };
      await cli.checkOperation(op, { asset: '<asset>', code: '--code', decimals: '--decimals', issuer: '--issuer' });
      await cli.submit([op]);
    });

  for (const [name, type, what] of [['pause', 'pause_asset', 'stop every movement of an asset (operator or issuer)'], ['unpause', 'unpause_asset', 'resume a paused asset']] as const) {
    program.command(`${name} <asset>`).description(what).action(async (asset: string) => {
      await cli.submit([{ type, asset }]);
    });
  }

  program.command('supply')
    .description('every asset with its issued, redeemed and outstanding supply')
    .action(async () => {
      const assets = (await (await cli.client()).assets()).data;
      const rows = assets.map((a) => [a.id, a.code, a.issuer, groupDigits(a.issued), groupDigits(a.redeemed), groupDigits(a.supply), a.paused ? 'paused' : '']);
      cli.print(assets, () => table(['asset', 'code', 'issuer', 'issued', 'redeemed', 'supply', ''], rows, { right: new Set([3, 4, 5]) }));
    });

}

const HISTORY_COLUMNS = ['time (UTC)', 'what', 'change', 'balance', 'counterparty', 'reference', 'memo', 'tx'];

function historyRow(line: HistoryLine): string[] {
  const what = line.code === undefined ? line.type.replaceAll('_', ' ') : `rejected: ${line.code}`;
  const held = signedChange(line.heldChange);
  const change = [signedChange(line.availableChange), held === '' ? '' : `(held ${held})`].filter(Boolean).join(' ');
  return [shortTime(line.timeMs), what, change, groupDigits(line.available), line.counterparty ?? '', line.reference ?? '', line.memo ?? '', line.transaction?.slice(0, 10) ?? ''];
}

async function everyAccount(client: DepositumClient, owner: string | undefined): Promise<AccountBalance[]> {
  const all: AccountBalance[] = [];
  for (let after: string | undefined; ;) {
    const page = await client.accounts(owner, after);
    all.push(...page.data);
    if (!page.has_more || page.data.length === 0) return all;
    after = page.data[page.data.length - 1]!.id;
  }
}
