/**
 * How the bank and the module exchange messages: a file drop (the shape of a host-to-host
 * SFTP link) or a message queue. Either way a message taken from the bank is
 * acknowledged only once its effects are recorded (`done`), set aside with why when it is
 * refused (`quarantine`), or left for the next round when the node or the database could
 * not be reached (`release`); what the module sends the bank is durable when `send`
 * returns.
 */
export interface IncomingFromBank {
  /** The file's name, or the message's id: for logs and for where a refused one is set aside. */
  readonly name: string;
  /** The message as received: bytes, read as UTF-8 XML (and hashed as they are, for a statement). */
  readonly body: Buffer;
}

export interface BankLink {
  /** Up to `max` messages waiting, oldest first. */
  take(max: number): Promise<IncomingFromBank[]>;
  done(message: IncomingFromBank): Promise<void>;
  quarantine(message: IncomingFromBank, reason: string): Promise<void>;
  release(message: IncomingFromBank): Promise<void>;
  /** A message for the bank (a payout, a return), named by its message id. */
  send(name: string, xml: string): Promise<void>;
  close(): Promise<void>;
}
