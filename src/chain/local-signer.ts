import { createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { ed25519PrivateKey } from './crypto.js';
import type { Signer } from './keys.js';

/** A signer over a private key held in this process's memory, kept on disk as PKCS#8 PEM (Node.js only). */
export class LocalSigner implements Signer {
  readonly publicKey: string;

  constructor(readonly participant: string, readonly keyId: string, private readonly privateKey: KeyObject) {
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    if (jwk.crv !== 'Ed25519' || jwk.x === undefined) throw new TypeError(`key ${keyId} of ${participant} is not Ed25519`);
    this.publicKey = jwk.x;
  }

  static generate(participant: string, keyId: string): LocalSigner {
    return new LocalSigner(participant, keyId, ed25519PrivateKey(randomBytes(32)));
  }

  static fromPem(participant: string, keyId: string, pem: string): LocalSigner {
    return new LocalSigner(participant, keyId, createPrivateKey(pem));
  }

  signSync(message: Uint8Array): Uint8Array {
    return sign(null, message, this.privateKey);
  }

  sign(message: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve(this.signSync(message));
  }

  privateKeyPem(): string {
    return this.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }
}
