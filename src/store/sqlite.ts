import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ChainDataError, type SignedBlock } from '../chain/index.js';
import type { Genesis } from '../core/index.js';
import type { BlockWrite, HistoryCursor, StateRow, Store, StoredTransaction } from './types.js';

/** Versioned schema changes; each runs once, in order, inside a transaction. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE blocks (height INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, header TEXT NOT NULL, signatures TEXT NOT NULL);
   CREATE TABLE transactions (
     hash TEXT PRIMARY KEY, height INTEGER NOT NULL, position INTEGER NOT NULL,
     sender TEXT NOT NULL, client_id TEXT NOT NULL, valid_until_ms INTEGER NOT NULL,
     envelope TEXT NOT NULL, result TEXT NOT NULL, accounts TEXT NOT NULL, parties TEXT NOT NULL,
     UNIQUE (height, position), UNIQUE (sender, client_id));
   CREATE INDEX transactions_valid_until ON transactions (valid_until_ms);
   CREATE TABLE account_transactions (account TEXT NOT NULL, height INTEGER NOT NULL, position INTEGER NOT NULL,
     PRIMARY KEY (account, height, position)) WITHOUT ROWID;
   CREATE TABLE state (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;`,
];

/** How many blocks the verifier's reader fetches at a time. */
const RECORDED_BLOCKS_PAGE = 256;

interface BlockRow { height: number; hash: string; header: string; signatures: string }
interface TransactionRow { hash: string; height: number; position: number; sender: string; client_id: string; valid_until_ms: number; envelope: string; result: string; accounts: string; parties: string }

function decodeBlock(row: BlockRow): SignedBlock {
  try {
    return { header: JSON.parse(row.header) as SignedBlock['header'], hash: row.hash, signatures: JSON.parse(row.signatures) as SignedBlock['signatures'] };
  } catch (error) {
    throw new ChainDataError(row.height, undefined, `stored block cannot be decoded: ${(error as Error).message}`);
  }
}

function decodeTransaction(row: TransactionRow): StoredTransaction {
  let decoded: StoredTransaction;
  try {
    decoded = {
      hash: row.hash,
      height: row.height,
      position: row.position,
      envelope: JSON.parse(row.envelope) as StoredTransaction['envelope'],
      result: JSON.parse(row.result) as StoredTransaction['result'],
      accounts: JSON.parse(row.accounts) as string[],
      parties: JSON.parse(row.parties) as string[],
    };
  } catch (error) {
    throw new ChainDataError(row.height, row.position, `stored transaction cannot be decoded: ${(error as Error).message}`);
  }
  // The sender, id and validity columns index the envelope; they must say what it says.
  const body = decoded.envelope.body as Partial<StoredTransaction['envelope']['body']> | undefined;
  if (body?.sender !== row.sender || body.id !== row.client_id || body.validUntilMs !== row.valid_until_ms) {
    throw new ChainDataError(row.height, row.position, 'stored index columns (sender, id, valid-until) differ from the envelope');
  }
  return decoded;
}

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a block
 * is on disk before commitBlock returns and survives a power cut or a kill -9.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly statements;

  constructor(readonly path: string, options: { readonly?: boolean } = {}) {
    if (options.readonly !== true) mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { readonly: options.readonly === true, fileMustExist: options.readonly === true });
    if (options.readonly !== true) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.migrate();
    }
    this.statements = this.prepare();
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (const [index, sql] of MIGRATIONS.entries()) {
      if (index < version) continue;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${index + 1}`);
      })();
    }
  }

  private prepare() {
    const db = this.db;
    return {
      meta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)'),
      head: db.prepare<[], BlockRow>('SELECT * FROM blocks ORDER BY height DESC LIMIT 1'),
      block: db.prepare<[number], BlockRow>('SELECT * FROM blocks WHERE height = ?'),
      blocks: db.prepare<[number, number], BlockRow>('SELECT * FROM blocks WHERE height > ? ORDER BY height LIMIT ?'),
      insertBlock: db.prepare('INSERT INTO blocks (height, hash, header, signatures) VALUES (?, ?, ?, ?)'),
      insertTransaction: db.prepare(
        'INSERT INTO transactions (hash, height, position, sender, client_id, valid_until_ms, envelope, result, accounts, parties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertAccountTransaction: db.prepare('INSERT INTO account_transactions (account, height, position) VALUES (?, ?, ?)'),
      upsertState: db.prepare('INSERT INTO state (kind, id, body) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body'),
      stateRows: db.prepare<[], { kind: StateRow['table']; id: string; body: string }>('SELECT kind, id, body FROM state'),
      keys: db.prepare<[number], { sender: string; client_id: string; valid_until_ms: number }>('SELECT sender, client_id, valid_until_ms FROM transactions WHERE valid_until_ms >= ?'),
      blockTransactions: db.prepare<[number], TransactionRow>('SELECT * FROM transactions WHERE height = ? ORDER BY position'),
      transaction: db.prepare<[string], TransactionRow>('SELECT * FROM transactions WHERE hash = ?'),
      transactionById: db.prepare<[string, string], TransactionRow>('SELECT * FROM transactions WHERE sender = ? AND client_id = ?'),
      history: db.prepare<[string, number, number, number, number], TransactionRow>(
        `SELECT t.* FROM account_transactions a JOIN transactions t ON t.height = a.height AND t.position = a.position
         WHERE a.account = ? AND (a.height < ? OR (a.height = ? AND a.position < ?)) ORDER BY a.height DESC, a.position DESC LIMIT ?`,
      ),
    };
  }

  private readonly writeBlock = (write: BlockWrite): void => {
    const { block } = write;
    const s = this.statements;
    s.insertBlock.run(block.header.height, block.hash, JSON.stringify(block.header), JSON.stringify(block.signatures));
    for (const tx of write.transactions) {
      const { body } = tx.envelope;
      s.insertTransaction.run(tx.hash, tx.height, tx.position, body.sender, body.id, body.validUntilMs, tx.canonicalEnvelope, JSON.stringify(tx.result), JSON.stringify(tx.accounts), JSON.stringify(tx.parties));
      for (const account of tx.accounts) s.insertAccountTransaction.run(account, tx.height, tx.position);
    }
    for (const row of write.state) s.upsertState.run(row.table, row.id, row.body);
  };

  async genesis(): Promise<Genesis | null> {
    const row = this.statements.meta.get('genesis');
    return row === undefined ? null : (JSON.parse(row.value) as Genesis);
  }

  async saveGenesis(genesis: Genesis): Promise<void> {
    this.statements.setMeta.run('genesis', JSON.stringify(genesis));
  }

  async head(): Promise<SignedBlock | null> {
    const row = this.statements.head.get();
    return row === undefined ? null : decodeBlock(row);
  }

  async commitBlock(write: BlockWrite): Promise<void> {
    this.db.transaction(this.writeBlock)(write);
  }

  async stateRows(): Promise<StateRow[]> {
    return this.statements.stateRows.all().map((row) => ({ table: row.kind, id: row.id, body: row.body }));
  }

  async transactionKeys(atMs: number): Promise<{ sender: string; id: string; validUntilMs: number }[]> {
    return this.statements.keys.all(atMs).map((row) => ({ sender: row.sender, id: row.client_id, validUntilMs: row.valid_until_ms }));
  }

  async block(height: number): Promise<SignedBlock | null> {
    const row = this.statements.block.get(height);
    return row === undefined ? null : decodeBlock(row);
  }

  async blocks(afterHeight: number, limit: number): Promise<SignedBlock[]> {
    return this.statements.blocks.all(afterHeight, limit).map(decodeBlock);
  }

  async blockTransactions(height: number): Promise<StoredTransaction[]> {
    return this.statements.blockTransactions.all(height).map(decodeTransaction);
  }

  async transaction(hash: string): Promise<StoredTransaction | null> {
    const row = this.statements.transaction.get(hash);
    return row === undefined ? null : decodeTransaction(row);
  }

  async transactionById(sender: string, id: string): Promise<StoredTransaction | null> {
    const row = this.statements.transactionById.get(sender, id);
    return row === undefined ? null : decodeTransaction(row);
  }

  async accountHistory(account: string, before: HistoryCursor | null, limit: number): Promise<StoredTransaction[]> {
    const height = before?.height ?? Number.MAX_SAFE_INTEGER;
    const position = before?.position ?? Number.MAX_SAFE_INTEGER;
    return this.statements.history.all(account, height, height, position, limit).map(decodeTransaction);
  }

  async *recordedBlocks() {
    for (let after = 0; ; ) {
      const rows = this.statements.blocks.all(after, RECORDED_BLOCKS_PAGE);
      if (rows.length === 0) return;
      for (const row of rows) {
        const transactions = this.statements.blockTransactions.all(row.height).map((tx) => {
          const { hash, envelope, result, accounts, parties } = decodeTransaction(tx);
          return { hash, envelope, result, accounts, parties };
        });
        yield { block: decodeBlock(row), transactions };
        after = row.height;
      }
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
