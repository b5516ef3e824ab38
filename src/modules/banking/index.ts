import type { DepositumClient, LedgerEvent } from '../../sdk/index.js';
import type { LedgerModule, ModuleContext, Recorder } from '../kit/module.js';
import { chunksOf } from '../kit/bulk.js';
import { CreditIntake } from './deposits.js';
import { DeskRequests } from './desk.js';
import { AmqpLink } from './amqp.js';
import { DirectoryInbox } from './inbox.js';
import type { BankLink, IncomingFromBank } from './link.js';
import { PayoutSender } from './payouts.js';
import { HELD_EVENT_TYPES, HeldMints } from './held.js';
import { Reconciler } from './reconcile.js';
import { logSupplyChanges } from './supply.js';
import { MessageError, SchemaDirectory, type BankReport, type IncomingMessage } from './iso20022/index.js';
import { MessageReader, type ReadOutcome } from './iso20022/reader.js';
import { bankingMetrics, type BankingMetrics } from './metrics.js';
import { bankingRoutes } from './routes.js';
import { amqpSettings, reconcilerSettings, type BankingSettings } from './settings.js';
import { BANKING_MIGRATIONS, type PayoutRow, type SupplyRow } from './tables.js';

/** Messages from the bank taken per batch: a round takes batches until the link is empty. */
const MESSAGES_PER_ROUND = 1_000;

/** Messages read per request to the reader's thread: a round is recorded a slice at a time while the next is read. */
const MESSAGES_PER_READ = 250;

/**
 * The banking module: it takes the bank's camt.054 credit notifications from a file drop
 * or a RabbitMQ queue and mints deposits (exactly once; suspense otherwise), records every committed
 * redemption of its token as a payout due and sends it to the bank as a pacs.008 or
 * pain.001, follows the bank's pacs.002 / pain.002 about them (settled; or rejected, the
 * tokens given back), and reconciles the bank's camt.053 / camt.052 statements of the
 * omnibus account against the token's supply, entry by entry, attesting each on the chain.
 */
export function bankingModule(settings: BankingSettings): LedgerModule {
  const schemas = settings.xsdDirectory === undefined ? undefined : new SchemaDirectory(settings.xsdDirectory);
  const intakes = new WeakMap<DepositumClient, CreditIntake>();
  const senders = new WeakMap<DepositumClient, PayoutSender>();
  const reconcilers = new WeakMap<DepositumClient, Reconciler>();
  const desks = new WeakMap<DepositumClient, DeskRequests>();
  const reader = new MessageReader(settings.xsdDirectory);
  let link: BankLink | undefined;

  /** The module's figures on its process's /metrics, the gauges reading this context's tables. */
  function metricsOf(context: ModuleContext): BankingMetrics {
    return bankingMetrics(context.metrics, context.db);
  }

  function intakeFor(context: ModuleContext): CreditIntake {
    let intake = intakes.get(context.client);
    if (intake === undefined) intakes.set(context.client, intake = new CreditIntake(context.db, context.client, settings, context.nowMs, (outcomes) => metricsOf(context).resumed(outcomes)));
    return intake;
  }

  function senderFor(context: ModuleContext): PayoutSender {
    let sender = senders.get(context.client);
    if (sender === undefined) senders.set(context.client, sender = new PayoutSender(context.db, context.client, settings, schemas, context.nowMs));
    return sender;
  }

  function reconcilerFor(context: ModuleContext): Reconciler {
    let reconciler = reconcilers.get(context.client);
    if (reconciler === undefined) reconcilers.set(context.client, reconciler = new Reconciler(context.db, context.client, reconcilerSettings(settings), context.nowMs));
    return reconciler;
  }

  function deskFor(context: ModuleContext): DeskRequests {
    let desk = desks.get(context.client);
    if (desk === undefined) desks.set(context.client, desk = new DeskRequests(context.db, intakeFor(context), reconcilerFor(context), schemas, context.nowMs));
    return desk;
  }

  /** A round of work: the bank's messages in, the desk's requests, then the payouts due out. */
  async function work(context: ModuleContext): Promise<void> {
    metricsOf(context); // its gauges on the process's /metrics from the first step
    link ??= settings.amqp === undefined ? new DirectoryInbox(settings.inbox!) : new AmqpLink(amqpSettings(settings.amqp), () => context.wake?.());
    while (await takeMessages(context, link) === MESSAGES_PER_ROUND);
    await deskFor(context).carryOut(link);
    await senderFor(context).sendDue(link);
  }

  /**
   * The bank's waiting messages, oldest first: each acknowledged once its effects are
   * recorded, or set aside with why. The round is read in slices on the reader's thread,
   * all asked at once: while one slice is recorded, the next is being read. Consecutive
   * credit notifications of a slice are taken together (their mints in one transaction);
   * anything else one by one, in order. A node or database error (or a reader's failure)
   * leaves the message, and the rest taken with it, for the next round.
   */
  async function takeMessages(context: ModuleContext, link: BankLink): Promise<number> {
    const taken = await link.take(MESSAGES_PER_ROUND);
    const slices = chunksOf(taken, MESSAGES_PER_READ);
    const reads = slices.map((slice) => reader.read(slice.map((message) => message.body)));
    // A slice after a failure is never awaited: its refusal must not go unhandled.
    for (const read of reads) read.catch(() => undefined);
    // Not a refusal: what this round took and did not do is left for the next (else a queue's messages would wait, unacknowledged and untaken, until the connection closed).
    const releaseFrom = async (k: number) => {
      for (const message of slices.slice(k).flat()) await link.release(message);
    };
    for (const [k, slice] of slices.entries()) {
      let outcomes: ReadOutcome[];
      try {
        outcomes = await reads[k]!;
      } catch (error) {
        await releaseFrom(k);
        throw error;
      }
      try {
        await takeSlice(context, link, slice, outcomes);
      } catch (error) {
        // takeSlice released what it had not done.
        await releaseFrom(k + 1);
        throw error;
      }
    }
    return taken.length;
  }

  /** A slice as read: refusals set aside, then the rest recorded in order. */
  async function takeSlice(context: ModuleContext, link: BankLink, slice: readonly IncomingFromBank[], outcomes: readonly ReadOutcome[]): Promise<void> {
    const read: { message: IncomingFromBank; parsed: IncomingMessage }[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      if ('refusal' in outcome) await setAside(context, link, slice[i]!, new MessageError(outcome.refusal));
      else read.push({ message: slice[i]!, parsed: outcome.message });
    }
    for (let i = 0; i < read.length;) {
      const credits = read.slice(i).findIndex((item) => item.parsed.messageType !== 'camt.054');
      const group = credits === 0 ? [read[i]!] : read.slice(i, credits === -1 ? read.length : i + credits);
      try {
        if (group[0]!.parsed.messageType === 'camt.054') await takeCredits(context, group);
        else await takeOne(context, group[0]!.parsed, group[0]!.message);
        for (const { message } of group) await link.done(message);
      } catch (error) {
        if (!(error instanceof MessageError)) {
          for (const { message } of read.slice(i)) await link.release(message);
          throw error;
        }
        for (const { message } of group) await setAside(context, link, message, error);
      }
      i += group.length;
    }
  }

  async function setAside(context: ModuleContext, link: BankLink, message: IncomingFromBank, error: MessageError): Promise<void> {
    context.log.warn({ file: message.name, reason: error.message }, 'banking: message set aside');
    await link.quarantine(message, error.message);
    metricsOf(context).setAside();
  }

  async function takeCredits(context: ModuleContext, group: readonly { message: IncomingFromBank; parsed: IncomingMessage }[]): Promise<void> {
    const outcomes = await intakeFor(context).takeAll(group.map((item) => item.parsed as BankReport));
    metricsOf(context).credits(outcomes);
    context.log.info({ files: group.map((item) => item.message.name), minted: outcomes.filter((o) => o.outcome === 'minted').length, outcomes: outcomes.length }, 'banking: credit notifications taken');
  }

  /** A status report or a statement; a MessageError sets it aside. */
  async function takeOne(context: ModuleContext, message: IncomingMessage, from: IncomingFromBank): Promise<void> {
    if (message.messageType === 'pacs.002' || message.messageType === 'pain.002') {
      const known = await senderFor(context).applyStatus(message);
      if (known === 0) throw new MessageError(`${message.messageType}.${message.version} ${message.messageId} speaks of no payout this module sent`);
    } else if (message.messageType === 'camt.053' || message.messageType === 'camt.052') {
      // The supply at its cut-off needs every mint committed until now in the module's tables: the step followed the feed before this message was read.
      await context.follow?.();
      const outcomes = await reconcilerFor(context).take(message, from.body);
      if (outcomes.length === 0) context.log.info({ file: from.name, statements: message.reports.map((r) => `${r.id} page ${r.page?.number ?? 1}`) }, 'banking: statement page kept, waiting for the rest of its pages');
      for (const outcome of outcomes) {
        metricsOf(context).statement(outcome);
        context.log[outcome.reconciled ? 'info' : 'warn']({ file: from.name, ...outcome }, outcome.reconciled ? 'banking: statement reconciled' : 'banking: statement has breaks');
      }
    } else {
      throw new MessageError(`${message.messageType}.${message.version} is not a message the bank sends this module`);
    }
  }

  /**
   * Every change of the token's supply is logged (the supply at a statement's cut-off is
   * their sum, see supply.ts); a redemption is also a payout due; credits whose mint waits for approval
   * follow their proposal (see HeldMints). A page of the feed at a time, in bulk: the rows
   * are the events' own (a page handled again inserts nothing twice).
   */
  async function handlePage(events: readonly LedgerEvent[], context: ModuleContext): Promise<Recorder | undefined> {
    const held = await new HeldMints(context.db, context.client, settings).changes(events);
    const supply: SupplyRow[] = [];
    const payouts: PayoutRow[] = [];
    for (const event of events) {
      if ((event.type !== 'redeemed' && event.type !== 'issued') || event.data['asset'] !== settings.asset) continue;
      const depositReference = event.data['depositReference'];
      supply.push({
        position: event.position, time_ms: event.timeMs, kind: event.type, amount: String(event.data['amount']), transaction_id: event.transaction?.id ?? null,
        deposit_reference: typeof depositReference === 'string' ? depositReference : null,
      });
      if (event.type === 'redeemed') payouts.push(payoutDue(event, context.nowMs()));
    }
    if (supply.length === 0 && held === undefined) return undefined;
    return async (trx) => {
      await logSupplyChanges(trx, supply);
      for (const chunk of chunksOf(payouts)) await trx.insertInto('banking_payouts').values(chunk).onConflict((oc) => oc.column('position').doNothing()).execute();
      await held?.(trx);
    };
  }

  function payoutDue(event: LedgerEvent, nowMs: number): PayoutRow {
    return {
      position: event.position, transaction_hash: event.transaction?.hash ?? null, account: String(event.data['account']), asset: settings.asset,
      amount: String(event.data['amount']), payout_reference: String(event.data['payoutReference']), status: 'due', recorded_at_ms: nowMs,
      message_id: null, end_to_end_id: null, problem: null, bank_status: null, return_transaction_id: null,
    };
  }

  return {
    name: 'banking',
    description: `ISO 20022 with the bank's core for ${settings.asset}: camt.054 deposits minted exactly once, suspense, redemptions paid out, statements reconciled and attested`,
    roles: ['issuer'],
    migrations: BANKING_MIGRATIONS,
    eventTypes: ['issued', 'redeemed', ...HELD_EVENT_TYPES],
    handle: (event, context) => handlePage([event], context),
    handlePage,
    work,
    close: async () => {
      await link?.close();
      link = undefined;
      await reader.close();
    },
    routes: (services, callerOf) => bankingRoutes(services, callerOf, settings),
  };
}
