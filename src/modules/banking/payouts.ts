import { createHash } from 'node:crypto';
import type { AssetSupply, DepositumClient } from '../../sdk/index.js';
import type { AnyDatabase } from '../kit/database.js';
import type { DirectoryInbox } from './inbox.js';
import { buildPacs008, buildPain001, MessageError, uetrFor, type CreditTransfer, type SchemaDirectory } from './iso20022/index.js';
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

  async sendDue(outbox: DirectoryInbox): Promise<void> {
    if (this.settings.payout === undefined) return;
    const due = await this.db.selectFrom('banking_payouts').selectAll().where('status', '=', 'due').orderBy('recorded_at_ms').orderBy('position').limit(PAYOUTS_PER_ROUND).execute() as PayoutRow[];
    for (const payout of due) await this.send(payout, outbox);
  }

  private async send(payout: PayoutRow, outbox: DirectoryInbox): Promise<void> {
    const link = await this.db.selectFrom('banking_links').selectAll().where('token_account', '=', payout.account).where('holder_name', 'is not', null)
      .orderBy('linked_at_ms', 'desc').executeTakeFirst() as LinkRow | undefined;
    if (link === undefined) return this.mark(payout, { status: 'unroutable', problem: `no bank account with its holder's name, address and bank is linked to ${payout.account}` });
    const messageId = `DPM-${createHash('sha256').update(`payout/${payout.position}`).digest('hex').slice(0, 28)}`;
    let xml: string;
    try {
      xml = await this.build(payout, link, messageId);
    } catch (error) {
      if (!(error instanceof MessageError)) throw error;
      return this.mark(payout, { status: 'unroutable', problem: error.message });
    }
    outbox.send(`${messageId}.xml`, xml);
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

  private async mark(payout: PayoutRow, change: Partial<Pick<PayoutRow, 'status' | 'message_id' | 'end_to_end_id' | 'problem'>>): Promise<void> {
    await this.db.updateTable('banking_payouts').set(change).where('position', '=', payout.position).execute();
  }

  private async tokenAsset(): Promise<AssetSupply> {
    this.asset ??= await this.client.asset(this.settings.asset);
    return this.asset;
  }
}
