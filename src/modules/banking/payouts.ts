import { sha256Hex } from '../../chain/index.js';
import type { AssetSupply, DepositumClient } from '../../sdk/index.js';
import type { AnyDatabase } from '../kit/database.js';
import type { BankLink } from './link.js';
import { buildPacs008, buildPain001, MessageError, uetrFor, type CreditTransfer, type SchemaDirectory, type StatusReport, type TransactionStatus } from './iso20022/index.js';
import { submitOnce } from '../kit/submit-once.js';
import type { BankingSettings } from './settings.js';
import type { LinkRow, PayoutRow } from './tables.js';

/** Payouts sent per round of the module's work: the rest wait for the next round. */
const PAYOUTS_PER_ROUND = 100;

/**
 * Redemption → payout. Each payout due becomes one pacs.008 or pain.001 in `out/`, to the
 * bank account linked to the redeemed token account (with its holder's name, structured
 * address and bank). Its message id, end-to-end id (the redemption's payout reference) and
 * UETR are derived from the redemption, so a message written again after a crash is the
 * same payment to the bank, which deduplicates on them. A payout with no routable link is
 * marked unroutable with why, for the desk.
 */
export class PayoutSender {
  private asset: AssetSupply | undefined;

  constructor(
    private readonly db: AnyDatabase,
    private readonly client: DepositumClient,
    private readonly settings: BankingSettings,
    private readonly schemas: SchemaDirectory | undefined,
    private readonly nowMs: () => number,
  ) {}

  async sendDue(outbox: BankLink): Promise<void> {
    if (this.settings.payout === undefined) return;
    const due = await this.db.selectFrom('banking_payouts').selectAll().where('status', '=', 'due').orderBy('recorded_at_ms').orderBy('position').limit(PAYOUTS_PER_ROUND).execute() as PayoutRow[];
    for (const payout of due) await this.send(payout, outbox);
  }

  private async send(payout: PayoutRow, outbox: BankLink): Promise<void> {
    const link = await this.db.selectFrom('banking_links').selectAll().where('token_account', '=', payout.account).where('holder_name', 'is not', null)
      .orderBy('linked_at_ms', 'desc').executeTakeFirst() as LinkRow | undefined;
    if (link === undefined) return this.mark(payout, { status: 'unroutable', problem: `no bank account with its holder's name, address and bank is linked to ${payout.account}` });
    const messageId = `DPM-${sha256Hex(`payout/${payout.position}`).slice(0, 28)}`;
    let xml: string;
    try {
      xml = await this.build(payout, link, messageId);
    } catch (error) {
      if (!(error instanceof MessageError)) throw error;
      return this.mark(payout, { status: 'unroutable', problem: error.message });
    }
    await outbox.send(messageId, xml);
    await this.mark(payout, { status: 'sent', message_id: messageId, end_to_end_id: payout.payout_reference });
  }

  private async build(payout: PayoutRow, link: LinkRow, messageId: string): Promise<string> {
    const { format, debtor } = this.settings.payout!;
    const asset = await this.tokenAsset();
    const createdAt = new Date(this.nowMs()).toISOString();
    const transfer: CreditTransfer = {
      instructionId: payout.payout_reference, endToEndId: payout.payout_reference, uetr: uetrFor(`payout/${payout.position}`),
      amount: payout.amount, currency: asset.code, settlementDate: createdAt.slice(0, 10),
      debtor: { name: debtor.name, address: { town: debtor.town, country: debtor.country, ...(debtor.street !== undefined && { street: debtor.street }), ...(debtor.postCode !== undefined && { postCode: debtor.postCode }) }, account: this.settings.omnibusAccount, agentBic: debtor.agentBic },
      creditor: { name: link.holder_name!, address: { town: link.holder_town ?? '', country: link.holder_country ?? '' }, account: link.bank_account, agentBic: link.holder_agent_bic ?? '' },
      remittance: `Redemption of ${payout.amount} ${asset.id}`,
    };
    const header = { messageId, createdAt };
    const xml = format === 'pacs.008'
      ? buildPacs008(header, [transfer], { settlementMethod: 'INDA', chargeBearer: 'SHAR' })
      : buildPain001(header, { paymentInformationId: messageId, initiatingParty: debtor.name }, [transfer]);
    const message = format === 'pacs.008' ? 'pacs.008.001.09' : 'pain.001.001.10';
    if (this.schemas?.has(message) === true) {
      const verdict = await this.schemas.validate(xml, message);
      if (!verdict.valid) throw new MessageError(`the ${message} built for it fails its XSD: ${verdict.errors.slice(0, 3).join('; ')}`);
    }
    return xml;
  }

  private async mark(payout: PayoutRow, change: Partial<Pick<PayoutRow, 'status' | 'message_id' | 'end_to_end_id' | 'problem' | 'bank_status' | 'return_transaction_id'>>): Promise<void> {
    await this.db.updateTable('banking_payouts').set(change).where('position', '=', payout.position).execute();
  }

  /**
   * A pacs.002 or pain.002 about payouts this module sent: settled (ACSC, ACCC) closes one;
   * rejected (RJCT) gives the tokens back to the account that redeemed them, by a mint whose
   * id is derived from the payout (once, whatever the redelivery), with the bank's reason
   * in its memo; any other status is kept as the bank's latest word. Returns how many of
   * the report's transactions were about a payout this module sent.
   */
  async applyStatus(report: StatusReport): Promise<number> {
    let known = 0;
    for (const status of report.transactions) {
      const payout = status.originalEndToEndId === undefined ? undefined
        : await this.db.selectFrom('banking_payouts').selectAll().where('end_to_end_id', '=', status.originalEndToEndId).where('asset', '=', this.settings.asset).executeTakeFirst() as PayoutRow | undefined;
      if (payout === undefined || payout.status === 'due' || payout.status === 'unroutable') continue;
      known += 1;
      if (payout.status === 'sent') await this.follow(payout, status);
    }
    return known;
  }

  private async follow(payout: PayoutRow, status: TransactionStatus): Promise<void> {
    // A transaction without a status of its own took its group's when the report was read.
    const code = status.status ?? 'unknown';
    if (code === 'ACSC' || code === 'ACCC') return this.mark(payout, { status: 'settled', bank_status: code });
    if (code !== 'RJCT') return this.mark(payout, { bank_status: code });
    const why = status.reasons.map((r) => [r.code ?? r.proprietary, ...r.info].filter(Boolean).join(' ')).join('; ') || 'no reason given';
    const id = `payout-return:${sha256Hex(`payout/${payout.position}`).slice(0, 40)}`;
    const op = { type: 'issue' as const, account: payout.account, amount: payout.amount, depositReference: payout.payout_reference };
    const minted = await submitOnce(this.client, op, id, `payout ${payout.payout_reference} rejected by the bank: ${why}`.slice(0, 500));
    await this.mark(payout, minted.status === 'committed'
      ? { status: 'rejected', bank_status: code, problem: `rejected by the bank: ${why}; the tokens were given back`, return_transaction_id: id }
      : { status: 'rejected', bank_status: code, problem: `rejected by the bank: ${why}; giving the tokens back was refused (${minted.code}: ${minted.message}): the desk must act` });
  }

  private async tokenAsset(): Promise<AssetSupply> {
    this.asset ??= await this.client.asset(this.settings.asset);
    return this.asset;
  }
}
