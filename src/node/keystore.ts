import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalSigner } from '../chain/index.js';

/** The file a key is kept in: its participant, id, public half, and the private half as PKCS#8 PEM. */
interface KeyFile {
  participant: string;
  keyId: string;
  publicKey: string;
  privateKeyPem: string;
}

/**
 * Private keys as files under `<data>/keys`, readable by the owner only. Fine for a
 * demo or a participant's own machine; a bank keeps them in an HSM or KMS behind Signer.
 */
export class KeyStore {
  constructor(readonly directory: string) {}

  static at(dataDir: string): KeyStore {
    return new KeyStore(join(dataDir, 'keys'));
  }

  save(name: string, signer: LocalSigner): void {
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    const file: KeyFile = { participant: signer.participant, keyId: signer.keyId, publicKey: signer.publicKey, privateKeyPem: signer.privateKeyPem() };
    writeFileSync(join(this.directory, `${name}.json`), `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  }

  load(name: string): LocalSigner {
    let text: string;
    try {
      text = readFileSync(join(this.directory, `${name}.json`), 'utf8');
    } catch {
      throw new Error(`no key named ${name} in ${this.directory}`);
    }
    const file = JSON.parse(text) as KeyFile;
    return LocalSigner.fromPem(file.participant, file.keyId, file.privateKeyPem);
  }

  names(): string[] {
    try {
      return readdirSync(this.directory).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -5)).sort();
    } catch {
      return [];
    }
  }
}
