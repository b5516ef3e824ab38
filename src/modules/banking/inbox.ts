import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A file drop, the shape of a host-to-host (SFTP) link, both ways: the bank writes messages into
 * `in/` (renaming each into place once written), the module moves each to `processed/`
 * once its effects are recorded, or to `failed/` with a `.reason` file beside it. A file
 * taken again after a crash (still in `in/`) is harmless: its effects are idempotent.
 * The module writes its own messages (payouts) into `out/` for the bank to take.
 */
export class DirectoryInbox {
  readonly incoming: string;
  readonly processed: string;
  readonly failed: string;
  readonly outgoing: string;

  constructor(root: string) {
    this.incoming = join(root, 'in');
    this.processed = join(root, 'processed');
    this.failed = join(root, 'failed');
    this.outgoing = join(root, 'out');
    for (const dir of [this.incoming, this.processed, this.failed, this.outgoing]) mkdirSync(dir, { recursive: true });
  }

  /** Puts a message in `out/` for the bank, written beside and renamed into place: the bank never reads half a file. */
  send(name: string, xml: string): void {
    const partial = join(this.outgoing, `.${name}.part`);
    writeFileSync(partial, xml);
    renameSync(partial, join(this.outgoing, name));
  }

  /** The messages waiting, oldest name first (banks name files by time and sequence); partial uploads (dot files, .tmp, .part) are left alone. */
  waiting(): string[] {
    return readdirSync(this.incoming).filter((name) => !name.startsWith('.') && !/\.(tmp|part)$/i.test(name)).sort();
  }

  read(name: string): string {
    return readFileSync(join(this.incoming, name), 'utf8');
  }

  done(name: string): void {
    renameSync(join(this.incoming, name), join(this.processed, name));
  }

  quarantine(name: string, reason: string): void {
    writeFileSync(join(this.failed, `${name}.reason`), `${reason}\n`);
    renameSync(join(this.incoming, name), join(this.failed, name));
  }
}
