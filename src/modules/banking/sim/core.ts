import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { XMLParser } from 'fast-xml-parser';
import { formatAmount, parseAmount } from '../../../core/index.js';
import { buildCamt053, buildCamt054, buildPacs002, type SimAccount, type SimBalance, type SimEntry, type SimStatus } from './messages.js';

/**
 * A core-banking system for the demo and the tests: demand-deposit accounts at the bank,
 * the issuer's omnibus account, deposits booked by command (each notified with a
 * camt.054), payouts executed from the pacs.008 / pain.001 the module leaves in the
 * drop's out/ (a pacs.002 back: settled, or rejected as configured), and end-of-day
 * camt.053 statements. It talks to the module only through the drop, as a bank's
 * host-to-host link does, so the module never knows it is a simulator. Its books live in
 * `<drop>/bank/core.json`, changed under a lock file, so a long-running `serve` and
 * one-shot commands can share them.
 */

export interface ClientAccount {
  readonly name: string;
  balanceMinor: string;
}

interface Books {
  omnibus: SimAccount;
  decimals: number;
  omnibusMinor: string;
  clients: Record<string, ClientAccount>;
  /** Accounts whose payouts the bank rejects, with the ISO reason (AC04 closed, AC06 blocked, …). */
  rejections: Record<string, string>;
  /** Entries booked since the last statement. */
  unstated: SimEntry[];
  /** Each deposit by its end-to-end id: where a return of it (pacs.004) goes. */
  deposits: Record<string, { account: string; amount: string }>;
  sequence: number;
  statements: number;
  lastStatementAtMs: number;
  lastClosingMinor: string;
}

export interface OpenOptions {
  readonly omnibus: SimAccount;
  readonly decimals: number;
  readonly balance: string;
  readonly clients: Readonly<Record<string, { name: string; balance: string }>>;
  readonly rejections?: Readonly<Record<string, string>>;
}

/** What a command wrote into the drop's in/ for the module. */
export interface Sent {
  readonly file: string;
  readonly summary: string;
}

const LOCK_WAIT_MS = 30_000;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false });

export class SimError extends Error {}

/** Today's date and the time now, as a bank writes them. */
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const stamp = (ms: number) => new Date(ms).toISOString();

export class BankCore {
  private readonly bankDir: string;
  private readonly file: string;

  constructor(readonly drop: string, private readonly nowMs: () => number = Date.now) {
    this.bankDir = join(drop, 'bank');
    this.file = join(this.bankDir, 'core.json');
  }

  /** Opens the books: the omnibus account with its balance (the tokens already out), and the clients' accounts. */
  open(options: OpenOptions): void {
    if (existsSync(this.file)) throw new SimError(`${this.file} exists: the bank is open already`);
    for (const dir of [this.bankDir, join(this.bankDir, 'taken'), join(this.drop, 'in'), join(this.drop, 'out')]) mkdirSync(dir, { recursive: true });
    const minor = (text: string, what: string) => this.minorOf(text, options.decimals, what);
    const books: Books = {
      omnibus: options.omnibus, decimals: options.decimals, omnibusMinor: minor(options.balance, 'the omnibus balance').toString(),
      clients: Object.fromEntries(Object.entries(options.clients).map(([id, c]) => [id, { name: c.name, balanceMinor: minor(c.balance, `the balance of ${id}`).toString() }])),
      rejections: { ...options.rejections }, unstated: [], deposits: {}, sequence: 0, statements: 0, lastStatementAtMs: this.nowMs(), lastClosingMinor: minor(options.balance, 'the omnibus balance').toString(),
    };
    this.save(books);
  }

  /** Opens a client's demand-deposit account; payouts to it are rejected with `rejectWith` when given. */
  async addClient(account: string, name: string, balance: string, rejectWith?: string): Promise<void> {
    await this.locked((books) => {
      if (books.clients[account] !== undefined) throw new SimError(`client account ${account} exists`);
      if (rejectWith !== undefined && !/^[A-Z0-9]{4}$/.test(rejectWith)) throw new SimError(`${rejectWith} is not an ISO 20022 reason code (four letters or digits)`);
      books.clients[account] = { name, balanceMinor: this.minorOf(balance, books.decimals, `the balance of ${account}`).toString() };
      if (rejectWith !== undefined) books.rejections[account] = rejectWith;
    });
  }

  /** The books as they stand. */
  read(): Books {
    if (!existsSync(this.file)) throw new SimError(`no bank at ${this.drop}: open it first (depositum bank-sim open)`);
    return JSON.parse(readFileSync(this.file, 'utf8')) as Books;
  }

  /** A client pays into the omnibus account from its account at the bank: booked, then notified with a camt.054 (twice when `duplicate`). */
  async deposit(from: string, amount: string, options: { endToEndId?: string; duplicate?: boolean } = {}): Promise<Sent[]> {
    return this.locked((books) => {
      const client = books.clients[from];
      if (client === undefined) throw new SimError(`no client account ${from} at the bank`);
      const minor = this.minorOf(amount, books.decimals, 'the amount');
      if (minor <= 0n) throw new SimError('a deposit is a positive amount');
      if (BigInt(client.balanceMinor) < minor) throw new SimError(`${from} holds ${formatAmount(BigInt(client.balanceMinor), books.decimals)}`);
      client.balanceMinor = (BigInt(client.balanceMinor) - minor).toString();
      books.omnibusMinor = (BigInt(books.omnibusMinor) + minor).toString();
      const reference = this.nextReference(books);
      const entry: SimEntry = {
        reference, amount: formatAmount(minor, books.decimals), side: 'credit', bookingDate: day(this.nowMs()), endToEndId: options.endToEndId ?? `DEP-${reference}`,
        counterparty: { name: client.name, account: from }, remittance: 'Deposit for tokens',
      };
      books.unstated.push(entry);
      books.deposits[entry.endToEndId!] = { account: from, amount: entry.amount };
      const xml = buildCamt054(`C54-${reference}`, stamp(this.nowMs()), books.omnibus, [entry]);
      const sent = [this.send(books, 'camt054', xml, `camt.054: ${from} paid in ${entry.amount} ${books.omnibus.currency} (${reference})`)];
      if (options.duplicate === true) sent.push(this.send(books, 'camt054-again', xml, `the same camt.054 again (${reference})`));
      return sent;
    });
  }

  /** Executes the payouts waiting in out/ (older than `delayMs`): the omnibus debited, the client credited, a pacs.002 back; a rejected account gets RJCT. */
  async executePayouts(delayMs = 0): Promise<Sent[]> {
    return this.locked((books) => {
      const outbox = join(this.drop, 'out');
      const waiting = readdirSync(outbox).filter((name) => name.endsWith('.xml') && !name.startsWith('.') && Date.now() - statSync(join(outbox, name)).mtimeMs >= delayMs).sort();
      const sent: Sent[] = [];
      for (const name of waiting) {
        const xml = readFileSync(join(outbox, name), 'utf8');
        renameSync(join(outbox, name), join(this.bankDir, 'taken', name));
        const returned = this.readReturn(xml);
        if (returned.length > 0) {
          for (const r of returned) this.bookReturn(books, r);
          continue;
        }
        const payment = this.readPayment(xml);
        if (payment === null) continue;
        const statuses = payment.transfers.map((t) => this.execute(books, t));
        sent.push(this.send(books, 'pacs002', buildPacs002(`P02-${this.nextReference(books)}`, stamp(this.nowMs()), payment.original, statuses),
          `pacs.002 for ${payment.original.messageId}: ${statuses.map((s) => `${s.endToEndId} ${s.status}${s.reason === undefined ? '' : ` ${s.reason}`}`).join(', ')}`));
      }
      return sent;
    });
  }

  /** Closes the day: a camt.053 of every entry booked since the last statement, opening and closing balances. */
  async endOfDay(): Promise<Sent> {
    return (await this.closeDay(Number.POSITIVE_INFINITY))[0]!;
  }

  /**
   * Closes the day as a bank does when the statement is too large for one message: in
   * pages of at most `entriesPerPage` entries, each its own camt.053 (StmtPgntn and
   * MsgPgntn), the first with the opening balance, each but the last with the interim
   * balance after its entries (ITBD), the last with the closing one.
   */
  async endOfDayInPages(entriesPerPage: number): Promise<Sent[]> {
    if (!Number.isInteger(entriesPerPage) || entriesPerPage < 1) throw new SimError(`entries per page must be a whole number from 1, not ${entriesPerPage}`);
    return this.closeDay(entriesPerPage);
  }

  private closeDay(entriesPerPage: number): Promise<Sent[]> {
    return this.locked((books) => {
      books.statements += 1;
      const now = this.nowMs();
      const id = `STMT-${day(now).replaceAll('-', '')}-${String(books.statements).padStart(4, '0')}`;
      const signed = (minor: bigint) => (minor < 0n ? `-${formatAmount(-minor, books.decimals)}` : formatAmount(minor, books.decimals));
      const pages: SimEntry[][] = [];
      for (let i = 0; i < books.unstated.length || pages.length === 0; i += entriesPerPage) pages.push(books.unstated.slice(i, i + entriesPerPage));
      let running = BigInt(books.lastClosingMinor);
      const sent = pages.map((entries, p) => {
        for (const e of entries) running += (e.side === 'credit' ? 1n : -1n) * this.minorOf(e.amount, books.decimals, 'amount');
        const last = p === pages.length - 1;
        const balances: SimBalance[] = [
          ...(p === 0 ? [{ type: 'OPBD' as const, amount: signed(BigInt(books.lastClosingMinor)), date: day(books.lastStatementAtMs) }] : []),
          { type: last ? 'CLBD' as const : 'ITBD' as const, amount: signed(last ? BigInt(books.omnibusMinor) : running), date: day(now) },
        ];
        const page = pages.length === 1 ? {} : { page: { number: p + 1, last } };
        const xml = buildCamt053(pages.length === 1 ? id : `${id}-${p + 1}`, { id, sequence: books.statements, from: stamp(books.lastStatementAtMs), to: stamp(now), ...page }, books.omnibus, balances, entries);
        const part = pages.length === 1 ? '' : `, page ${p + 1} of ${pages.length}`;
        return this.send(books, 'camt053', xml, `camt.053 ${id}${part}: ${entries.length} entries, ${last ? 'closing' : 'interim'} balance ${balances.at(-1)!.amount} ${books.omnibus.currency}`);
      });
      books.unstated = [];
      books.lastStatementAtMs = now;
      books.lastClosingMinor = books.omnibusMinor;
      return sent;
    });
  }

  /** Waits until the module has left at least one message in out/ for the bank. */
  async waitForPayouts(timeoutMs = 60_000): Promise<void> {
    const outbox = join(this.drop, 'out');
    for (const deadline = Date.now() + timeoutMs; !existsSync(outbox) || !readdirSync(outbox).some((name) => name.endsWith('.xml') && !name.startsWith('.')); await sleep(50)) {
      if (Date.now() > deadline) throw new SimError(`no payout from the module in ${outbox} within ${timeoutMs / 1000} s: is it running on this drop, with payouts configured?`);
    }
  }

  /** Waits until the module has taken each file (moved it to processed/ or failed/); where each went. */
  async waitTaken(sent: readonly Sent[], timeoutMs = 60_000): Promise<string[]> {
    const deadline = this.nowMs() + timeoutMs;
    const where: string[] = [];
    for (const { file } of sent) {
      for (;;) {
        if (existsSync(join(this.drop, 'processed', file))) { where.push(`${file}: taken`); break; }
        if (existsSync(join(this.drop, 'failed', file))) { where.push(`${file}: set aside: ${readFileSync(join(this.drop, 'failed', `${file}.reason`), 'utf8').trim()}`); break; }
        if (Date.now() > deadline) throw new SimError(`the module has not taken ${file} within ${timeoutMs / 1000} s: is it running on this drop?`);
        await sleep(50);
      }
    }
    return where;
  }

  private execute(books: Books, transfer: { endToEndId: string; amount: string; account: string }): SimStatus {
    const rejection = books.rejections[transfer.account];
    if (rejection !== undefined) return { endToEndId: transfer.endToEndId, status: 'RJCT', reason: rejection, info: `the bank rejects payments to ${transfer.account}` };
    const client = books.clients[transfer.account];
    if (client === undefined) return { endToEndId: transfer.endToEndId, status: 'RJCT', reason: 'AC01', info: `no account ${transfer.account} at the bank` };
    const minor = this.minorOf(transfer.amount, books.decimals, 'the payout amount');
    books.omnibusMinor = (BigInt(books.omnibusMinor) - minor).toString();
    client.balanceMinor = (BigInt(client.balanceMinor) + minor).toString();
    books.unstated.push({ reference: this.nextReference(books), amount: formatAmount(minor, books.decimals), side: 'debit', bookingDate: day(this.nowMs()), endToEndId: transfer.endToEndId, counterparty: { name: client.name, account: transfer.account }, remittance: 'Redemption payout' });
    return { endToEndId: transfer.endToEndId, status: 'ACSC' };
  }

  /** A credit sent back (pacs.004): the omnibus debited, the sender's account credited, booked under the original end-to-end id. */
  private bookReturn(books: Books, r: { endToEndId: string; amount: string }): void {
    const deposit = books.deposits[r.endToEndId];
    const client = deposit === undefined ? undefined : books.clients[deposit.account];
    if (deposit === undefined || client === undefined) return;
    const minor = this.minorOf(r.amount, books.decimals, 'the returned amount');
    books.omnibusMinor = (BigInt(books.omnibusMinor) - minor).toString();
    client.balanceMinor = (BigInt(client.balanceMinor) + minor).toString();
    books.unstated.push({ reference: this.nextReference(books), amount: formatAmount(minor, books.decimals), side: 'debit', bookingDate: day(this.nowMs()), endToEndId: r.endToEndId, counterparty: { name: client.name, account: deposit.account }, remittance: 'Return of a deposit' });
    delete books.deposits[r.endToEndId];
  }

  private readReturn(xml: string): { endToEndId: string; amount: string }[] {
    const doc = (parser.parse(xml) as { Document?: Record<string, unknown> }).Document ?? {};
    const root = doc['PmtRtr'] as Record<string, unknown> | undefined;
    if (root === undefined) return [];
    const list = Array.isArray(root?.['TxInf']) ? root['TxInf'] as Record<string, unknown>[] : root?.['TxInf'] === undefined ? [] : [root['TxInf'] as Record<string, unknown>];
    return list.map((tx) => ({ endToEndId: String(tx['OrgnlEndToEndId'] ?? ''), amount: String((tx['RtrdIntrBkSttlmAmt'] as Record<string, unknown> | undefined)?.['#text'] ?? '') }));
  }

  /** A pacs.008 or pain.001 from the module (told apart by their root element; the builder writes the versions the module sends): its message id and, per transfer, the end-to-end id, amount and creditor account. */
  private readPayment(xml: string): { original: { messageId: string; messageType: string }; transfers: { endToEndId: string; amount: string; account: string }[] } | null {
    const doc = (parser.parse(xml) as { Document?: Record<string, unknown> }).Document ?? {};
    const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]) as Record<string, unknown>[];
    const get = (node: unknown, ...path: string[]): unknown => path.reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], node);
    const textOf = (value: unknown): string => (typeof value === 'object' && value !== null ? String((value as Record<string, unknown>)['#text'] ?? '') : String(value ?? ''));
    const account = (node: unknown) => textOf(get(node, 'CdtrAcct', 'Id', 'IBAN') ?? get(node, 'CdtrAcct', 'Id', 'Othr', 'Id'));
    if (doc['FIToFICstmrCdtTrf'] !== undefined) {
      const root = doc['FIToFICstmrCdtTrf'];
      return {
        original: { messageId: textOf(get(root, 'GrpHdr', 'MsgId')), messageType: 'pacs.008.001.09' },
        transfers: list(get(root, 'CdtTrfTxInf')).map((tx) => ({ endToEndId: textOf(get(tx, 'PmtId', 'EndToEndId')), amount: textOf(get(tx, 'IntrBkSttlmAmt')), account: account(tx) })),
      };
    }
    if (doc['CstmrCdtTrfInitn'] !== undefined) {
      const root = doc['CstmrCdtTrfInitn'];
      return {
        original: { messageId: textOf(get(root, 'GrpHdr', 'MsgId')), messageType: 'pain.001.001.10' },
        transfers: list(get(root, 'PmtInf')).flatMap((pmt) => list(get(pmt, 'CdtTrfTxInf'))).map((tx) => ({ endToEndId: textOf(get(tx, 'PmtId', 'EndToEndId')), amount: textOf(get(tx, 'Amt', 'InstdAmt')), account: account(tx) })),
      };
    }
    return null; // a return (pacs.004) or anything else: taken, nothing to execute
  }

  private nextReference(books: Books): string {
    books.sequence += 1;
    return `SIM${day(this.nowMs()).replaceAll('-', '')}${String(books.sequence).padStart(6, '0')}`;
  }

  /** Writes a message into the module's in/ as a bank does: beside, then renamed into place; named by time and sequence. */
  private send(books: Books, kind: string, xml: string, summary: string): Sent {
    books.sequence += 1;
    const file = `${stamp(this.nowMs()).replace(/[-:.]/g, '')}-${String(books.sequence).padStart(6, '0')}-${kind}.xml`;
    const partial = join(this.drop, 'in', `.${file}.part`);
    writeFileSync(partial, xml);
    renameSync(partial, join(this.drop, 'in', file));
    return { file, summary };
  }

  private minorOf(text: string, decimals: number, what: string): bigint {
    const parsed = parseAmount(text, decimals);
    if (!parsed.ok) throw new SimError(`${what} "${text}" is not an amount with at most ${decimals} decimals`);
    return parsed.minor;
  }

  private save(books: Books): void {
    const partial = `${this.file}.part`;
    writeFileSync(partial, `${JSON.stringify(books, null, 2)}\n`);
    renameSync(partial, this.file);
  }

  /** Runs `change` on the books under the lock file, and saves them. */
  private async locked<T>(change: (books: Books) => T): Promise<T> {
    const lock = join(this.bankDir, 'lock');
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        closeSync(openSync(lock, 'wx'));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SimError(`no bank at ${this.drop}: open it first (depositum bank-sim open)`);
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) throw new SimError(`the bank's books at ${this.file} are locked (${lock}); is another bank-sim stuck?`);
        await sleep(20);
      }
    }
    try {
      const books = this.read();
      const result = change(books);
      this.save(books);
      return result;
    } finally {
      rmSync(lock, { force: true });
    }
  }
}
