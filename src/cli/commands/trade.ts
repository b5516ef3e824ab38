import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { formatAmount, parseAmount } from '../../core/index.js';
import { agreementHash, converted, fxSettlementId, isAgreement, type Agreement } from '../../modules/trade/agreement.js';
import { readTranscript, TranscriptError } from '../../modules/trade/draft/transcript.js';
import type { ConditionalPaymentInfo } from '../../sdk/index.js';
import { CliError, EXIT, type Cli } from '../context.js';
import { groupDigits, table } from '../format.js';

interface Stored { agreement: Agreement; hash: string; signedBy: string[]; concluded: boolean; payment: { id: string; operation: Extract<import('../../core/index.js').Operation, { type: 'conditional_payment' }> | null; problem: string | null } }
type Sourced = { value: unknown; quote: string; message: number | null; confidence: number };

const party = (text: string): { participant: string; account: string; settlementAccount?: string } => {
  const [participant, account, settlementAccount, ...rest] = text.split(':');
  if (participant === undefined || account === undefined || participant === '' || account === '' || settlementAccount === '' || rest.length > 0) throw new CliError(`"${text}" is not PARTICIPANT:ACCOUNT (or, for a seller paid in another currency, PARTICIPANT:ACCOUNT:SETTLEMENT_ACCOUNT)`, EXIT.usage, 'invalid_option', 'usage_error');
  return { participant, account, ...(settlementAccount !== undefined && { settlementAccount }) };
};
const shown = (value: unknown) => (typeof value === 'object' && value !== null ? Object.values(value as Record<string, unknown>).filter((v) => v !== null && v !== undefined).join(' ') : String(value));

/** The trade module's commands: drafting from a conversation (no node needed), then proposing, signing, funding and reading agreements. */
export function tradeCommands(program: Command, cli: Cli): void {
  const trade = program.command('trade').description('B2B trade: agreements drafted from a conversation, signed on the ledger by hash, funded as milestone escrow');
  const client = () => cli.client();
  const stored = async (id: string) => (await client()).request<Stored>('GET', `/v1/trade/agreements/${encodeURIComponent(id)}`);

  trade.command('draft')
    .description('read a conversation (plain text "speaker: text" lines, or JSON) in English or Chinese and propose an agreement: each field with its source words and confidence, what is missing or contradictory (no node needed)')
    .requiredOption('--conversation <file>', 'the transcript')
    .option('--buyer <participant:account>', 'the buyer on the ledger and the account it pays from')
    .option('--seller <participant:account[:settlement-account]>', 'the seller on the ledger, the account it is paid into, and its account in the settlement currency if it wants another')
    .option('--carrier <participant>', 'the attester of the bill of lading')
    .option('--inspector <participant>', 'the attester of the inspection certificate')
    .option('--arbiter <participant>', 'who decides a dispute')
    .option('--id <id>', 'the agreement id (default from the transcript)')
    .option('--today <date>', "the conversation's day (default today): deadlines count from it")
    .option('--out <file>', 'write the agreement (when nothing is missing) for `trade propose`')
    .option('--propose', 'propose it to the trade desk at once (as --as, a party), when nothing is missing', false)
    .action(async (o: { conversation: string; buyer?: string; seller?: string; carrier?: string; inspector?: string; arbiter?: string; id?: string; today?: string; out?: string; propose: boolean }) => {
      let messages;
      try {
        messages = readTranscript(readFileSync(o.conversation, 'utf8'));
      } catch (error) {
        if (error instanceof TranscriptError) throw new CliError(error.message, EXIT.usage, 'invalid_transcript', 'usage_error', '--conversation');
        throw error;
      }
      const options = {
        today: o.today ?? new Date().toISOString().slice(0, 10), ...(o.id !== undefined && { id: o.id }),
        parties: { ...(o.buyer !== undefined && { buyer: party(o.buyer) }), ...(o.seller !== undefined && { seller: party(o.seller) }) },
        attesters: { ...(o.carrier !== undefined && { carrier: o.carrier }), ...(o.inspector !== undefined && { inspector: o.inspector }) },
        ...(o.arbiter !== undefined && { arbiter: o.arbiter }),
      };
      // Loaded here, not at start: the language models cost every other command most of a second.
      const [{ draftAgreement }, { providerFromEnvironment }] = await Promise.all([import('../../modules/trade/draft/combine.js'), import('../../modules/trade/draft/providers.js')]);
      const provider = providerFromEnvironment();
      const draft = provider.name === 'offline' ? { ...draftAgreement(messages, options), provider: 'offline' } : await provider.draft(messages, options);
      if (o.out !== undefined && draft.agreement !== null) writeFileSync(o.out, `${JSON.stringify(draft.agreement, null, 2)}\n`);
      if (o.propose && draft.agreement === null) throw new CliError(`not proposed: ${[...draft.missing, ...draft.contradictions].join('; ')}`, EXIT.rejected, 'draft_incomplete', 'invalid_request_error');
      const proposed = o.propose ? await (await client()).request<{ agreement: string; version: number; hash: string }>('POST', '/v1/trade/agreements', { agreement: draft.agreement }) : null;
      const rows = Object.entries(draft.fields).flatMap(([name, field]) => (Array.isArray(field) ? field.map((f: Sourced, i: number) => [`${name}[${i}]`, f]) : field === undefined ? [] : [[name, field]]) as [string, Sourced][]);
      cli.print(draft, () => [
        `${draft.language === 'zh' ? 'Chinese' : 'English'} conversation between ${draft.speakers.join(' and ')} (read ${draft.provider === 'offline' ? 'offline' : `by ${draft.provider}`}${'fallback' in draft && draft.fallback !== undefined ? `; the model's answer was set aside: ${draft.fallback}` : ''})`,
        table(['field', 'value', 'confidence', 'from'], rows.map(([name, f]) => [name, shown(f.value), f.confidence.toFixed(1), f.message === null ? f.quote : `#${f.message}: "${f.quote}"`]), { maxWidths: { 1: 50, 3: 60 } }),
        ...(draft.missing.length === 0 ? [] : ['missing:', ...draft.missing.map((m) => `  - ${m}`)]),
        ...(draft.contradictions.length === 0 ? [] : ['contradictory:', ...draft.contradictions.map((c) => `  - ${c}`)]),
        draft.agreement === null ? 'not yet an agreement: the parties supply or confirm what is above'
          : proposed !== null ? `agreement ${proposed.agreement} v${proposed.version} proposed, sha256 ${proposed.hash}: each party reads it (\`trade document\`) and signs it (\`trade sign ${proposed.agreement}\`)`
          : `agreement ${draft.agreement.id} v${draft.agreement.version}, sha256 ${agreementHash(draft.agreement)}${o.out === undefined ? '' : `, written to ${o.out}`}: review it, then \`trade propose\``,
      ].join('\n'));
    });

  trade.command('propose <file>')
    .description('propose a version of an agreement (JSON, as `trade draft --out` writes it) to the trade desk: checked, kept, its hash returned')
    .action(async (file: string) => {
      const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!isAgreement(value)) throw new CliError(`${file} is not an agreement (see docs/trade.md)`, EXIT.usage, 'invalid_agreement', 'usage_error');
      const answer = await (await client()).request<{ agreement: string; version: number; hash: string }>('POST', '/v1/trade/agreements', { agreement: value });
      cli.print(answer, () => `agreement ${answer.agreement} v${answer.version} proposed, sha256 ${answer.hash}: each party signs it with \`trade sign ${answer.agreement}\``);
    });

  trade.command('sign <id>')
    .description("sign the agreement's latest version on the ledger, by the hash of the document as you read it (checked here, not taken on trust)")
    .action(async (id: string) => {
      const found = await stored(id);
      const hash = agreementHash(found.agreement);
      if (hash !== found.hash) throw new CliError(`the desk's hash ${found.hash} is not the document's ${hash}: not signed`, EXIT.rejected, 'hash_mismatch', 'invalid_request_error');
      await cli.submit([{ type: 'sign_agreement', agreement: id, version: found.agreement.version, hash, buyer: found.agreement.buyer.participant, seller: found.agreement.seller.participant }]);
    });

  trade.command('fund <id>')
    .description('as the buyer, lock the price in escrow: one conditional payment with a tranche per milestone (only once both parties signed)')
    .action(async (id: string) => {
      const found = await stored(id);
      if (!found.concluded) throw new CliError(`agreement ${id} v${found.agreement.version} is not signed by both parties yet (signed by ${found.signedBy.join(', ') || 'nobody'})`, EXIT.rejected, 'not_concluded', 'invalid_request_error');
      if (found.payment.operation === null) throw new CliError(`agreement ${id} cannot be funded: ${found.payment.problem ?? 'no payment'}`, EXIT.rejected, 'not_fundable', 'invalid_request_error');
      await cli.submit([found.payment.operation], { reference: id.slice(0, 35) });
    });

  trade.command('quote')
    .description("as a liquidity provider, quote a rate for a release's conversion: a PvP settlement you propose, your leg allocated, valid until the quote expires (nothing moves if the seller does not take it by then)")
    .requiredOption('--settlement <id>', 'the FX settlement the seller asked for (`<payment>-<tranche>-fx`)')
    .requiredOption('--sell <amount>', "the seller's amount in the price currency (the tranche)")
    .requiredOption('--from <account>', "the seller's account in the price currency")
    .requiredOption('--to <account>', "the seller's account in the settlement currency")
    .requiredOption('--rate <rate>', 'settlement currency per unit of the price currency (at most 8 places)')
    .requiredOption('--receive <account>', 'your account in the price currency')
    .requiredOption('--pay <account>', 'your account in the settlement currency')
    .option('--valid-for <seconds>', 'how long the quote stands', '600')
    .action(async (o: { settlement: string; sell: string; from: string; to: string; rate: string; receive: string; pay: string; validFor: string }) => {
      const api = await client();
      const [receive, pay] = await Promise.all([api.account(o.receive), api.account(o.pay)]) as unknown as [{ asset: string }, { asset: string }];
      const [sold, paid] = await Promise.all([api.asset(receive.asset), api.asset(pay.asset)]) as unknown as [{ code: string; decimals: number }, { code: string; decimals: number }];
      const sell = parseAmount(o.sell, sold.decimals);
      if (!sell.ok) throw new CliError(`--sell "${o.sell}" is not an amount of ${sold.code}`, EXIT.usage, 'invalid_option', 'usage_error', '--sell');
      let buyMinor: bigint;
      try {
        buyMinor = converted(sell.minor, sold.decimals, o.rate, paid.decimals);
      } catch (error) {
        throw new CliError((error as Error).message, EXIT.usage, 'invalid_option', 'usage_error', '--rate');
      }
      const validFor = Number(o.validFor);
      if (!Number.isInteger(validFor) || validFor < 1 || validFor > 86_400) throw new CliError('--valid-for is whole seconds, 1 to 86,400', EXIT.usage, 'invalid_option', 'usage_error', '--valid-for');
      const buy = formatAmount(buyMinor, paid.decimals);
      await cli.submit([
        { type: 'propose_settlement', settlement: o.settlement, legs: [{ from: o.from, to: o.receive, amount: o.sell }, { from: o.pay, to: o.to, amount: buy }], deadlineMs: Date.now() + validFor * 1000 },
        { type: 'allocate_settlement', settlement: o.settlement, leg: 1 },
        { type: 'approve_settlement', settlement: o.settlement, leg: 0 },
      ], { memo: `FX quote ${o.rate} ${paid.code} per ${sold.code}: ${o.sell} ${sold.code} for ${buy} ${paid.code}, valid ${validFor} s` });
    });

  trade.command('convert <id>')
    .description("as the seller, take a liquidity provider's quote for a released tranche: your leg allocated, the other approved and both settled at once, or nothing moves (an expired quote is refused)")
    .requiredOption('--tranche <tranche>', 'the milestone whose release is converted')
    .action(async (id: string, o: { tranche: string }) => {
      const found = await stored(id);
      const { agreement } = found;
      if (agreement.settlementCurrency === undefined || agreement.seller.settlementAccount === undefined) throw new CliError(`agreement ${id} is paid in ${agreement.currency} only`, EXIT.rejected, 'single_currency', 'invalid_request_error');
      const tranche = found.payment.operation?.tranches.find((t) => t.tranche === o.tranche);
      if (tranche === undefined) throw new CliError(`agreement ${id} has no milestone "${o.tranche}"`, EXIT.usage, 'invalid_option', 'usage_error', '--tranche');
      const api = await client();
      const settlement = fxSettlementId(found.payment.id, o.tranche);
      const quote = await api.settlement(settlement);
      const [leg0, leg1] = quote.legs;
      // The quote must be for this release, from and to the seller's own accounts: a provider cannot take more or pay elsewhere.
      if (quote.legs.length !== 2 || leg0 === undefined || leg1 === undefined || leg0.from !== agreement.seller.account || leg0.amount !== tranche.amount || leg1.to !== agreement.seller.settlementAccount) {
        throw new CliError(`settlement ${settlement} is not a quote for ${tranche.amount} ${agreement.currency} from ${agreement.seller.account} into ${agreement.seller.settlementAccount}`, EXIT.rejected, 'quote_mismatch', 'invalid_request_error');
      }
      await cli.submit([
        { type: 'allocate_settlement', settlement, leg: 0 },
        { type: 'approve_settlement', settlement, leg: 1 },
        { type: 'settle', settlement },
      ], { memo: `${id} ${o.tranche}: ${leg0.amount} ${agreement.currency} for ${leg1.amount} ${agreement.settlementCurrency}` });
    });

  trade.command('show <id>')
    .description('an agreement: its terms, who signed it, and its payment tranche by tranche')
    .action(async (id: string) => {
      const found = await stored(id);
      const payment = await (await client()).conditionalPayment(found.payment.id).catch(() => null) as ConditionalPaymentInfo | null;
      cli.print({ ...found, paymentState: payment }, () => [
        `agreement ${id} v${found.agreement.version} (sha256 ${found.hash}): ${found.concluded ? 'signed by both' : `signed by ${found.signedBy.join(', ') || 'nobody'}`}`,
        payment === null ? `payment ${found.payment.id}: not funded` : `payment ${payment.id}: ${payment.status}, ${groupDigits(payment.amount)} ${found.agreement.currency}`,
        ...(payment === null ? [] : [table(['tranche', 'amount', 'status'], payment.tranches.map((t) => [t.id, groupDigits(t.amount), t.status]), { right: new Set([1]) })]),
      ].join('\n'));
    });

  trade.command('document <id>')
    .description('the agreement as a readable document with its hash')
    .addOption(new Option('--format <format>', 'html or pdf').choices(['html', 'pdf']).default('html'))
    .requiredOption('--out <file>', 'where to write it')
    .action(async (id: string, o: { format: string; out: string }) => {
      const api = await client();
      const document = await api.request<string | Uint8Array>('GET', `/v1/trade/agreements/${encodeURIComponent(id)}/document?format=${o.format}`);
      const body = typeof document === 'string' ? Buffer.from(document) : document;
      writeFileSync(o.out, body);
      cli.print({ agreement: id, format: o.format, out: o.out, bytes: body.length }, () => `wrote agreement ${id} as ${o.format} to ${o.out} (${body.length} bytes)`);
    });
}
